from django.contrib import admin

from guichet.payments.models import Payment, PaymentNotification


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["reference", "purpose", "subject", "amount", "status", "provider", "created_at"]
    list_filter = ["status", "provider", "purpose"]
    search_fields = ["reference", "subject", "operator_reference", "phone"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    list_display = ["received_at", "provider", "outcome", "payment"]
    list_filter = ["outcome", "provider"]
    readonly_fields = [f.name for f in PaymentNotification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
