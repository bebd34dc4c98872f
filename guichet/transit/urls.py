app_name = "transit"

urlpatterns: list = []
