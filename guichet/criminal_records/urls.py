app_name = "criminal_records"

urlpatterns: list = []
