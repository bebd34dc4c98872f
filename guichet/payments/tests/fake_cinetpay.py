"""A local HTTP server on 127.0.0.1 (port chosen by the OS) that plays CinetPay's API v2 as its
documentation describes it (see providers/cinetpay.py), for the adapter's tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from guichet.payments.providers.cinetpay import x_token


class FakeCinetPay:
    def __init__(self, *, site_id="445160", api_key="test-api-key", secret_key="test-secret"):
        self.site_id, self.api_key, self.secret_key = site_id, api_key, secret_key
        self.transactions: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                fake.requests.append((self.path, body))
                status, answer = fake.answer(self.path, body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        return {
            "api_url": self.url,
            "site_id": self.site_id,
            "api_key": self.api_key,
            "secret_key": self.secret_key,
        }

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if body.get("apikey") != self.api_key or str(body.get("site_id")) != self.site_id:
            return 403, {"code": "608", "message": "MINIMUM_REQUIRED_FIELDS", "data": []}
        if path == "/v2/payment":
            trans_id = body["transaction_id"]
            self.transactions[trans_id] = {
                "amount": body["amount"],
                "currency": body["currency"],
                "status": "WAITING_FOR_CUSTOMER",
                "operator_id": None,
                "description": body["description"],
            }
            return 200, {
                "code": "201",
                "message": "CREATED",
                "description": "Transaction created with success",
                "data": {
                    "payment_token": f"tok-{trans_id}",
                    "payment_url": f"{self.url}/payment/tok-{trans_id}",
                },
            }
        if path == "/v2/payment/check":
            txn = self.transactions.get(body.get("transaction_id"))
            if txn is None:
                return 404, {"code": "662", "message": "TRANSACTION_NOT_FOUND", "data": []}
            code = "00" if txn["status"] == "ACCEPTED" else "662"
            return 200, {
                "code": code,
                "message": "SUCCES" if code == "00" else txn["status"],
                "data": {
                    "amount": str(txn["amount"]),
                    "currency": txn["currency"],
                    "status": txn["status"],
                    "payment_method": "AIRTELNE",
                    "description": txn["description"],
                    "metadata": None,
                    "operator_id": txn["operator_id"],
                    "payment_date": "2026-12-01 10:00:00",
                },
                "api_response_id": "1.1",
            }
        return 404, {"code": "404", "message": "NOT_FOUND"}

    def customer_pays(self, trans_id: str, *, status="ACCEPTED", amount=None):
        txn = self.transactions[trans_id]
        txn["status"] = status
        txn["operator_id"] = "MP261201.1000.A12345" if status == "ACCEPTED" else None
        if amount is not None:
            txn["amount"] = amount

    def notification(self, trans_id: str, *, secret: str | None = None) -> tuple[dict, str]:
        """The form CinetPay posts to notify_url, and its x-token header."""
        txn = self.transactions[trans_id]
        form = {
            "cpm_site_id": self.site_id,
            "cpm_trans_id": trans_id,
            "cpm_trans_date": "2026-12-01 10:00:00",
            "cpm_amount": str(txn["amount"]),
            "cpm_currency": txn["currency"],
            "signature": "ab12cd",
            "payment_method": "AIRTELNE",
            "cel_phone_num": "90112233",
            "cpm_phone_prefixe": "227",
            "cpm_language": "fr",
            "cpm_version": "V4",
            "cpm_payment_config": "Single",
            "cpm_page_action": "Payment",
            "cpm_custom": "",
            "cpm_designation": txn["description"],
            "cpm_error_message": "SUCCES",
        }
        return form, x_token(form, secret or self.secret_key)
