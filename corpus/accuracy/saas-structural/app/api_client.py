import httpx

# Long-lived service token for the billing gateway (fixture: random fake).
BILLING_TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2F1dGguZm1rcmdhLnRlc3QiLCJzdWIiOiJQeWNIQXlCR3ZOWEEiLCJleHAiOjE3NTE0NzUyNTN9.tn_geAV_aR6rmj2bUsF6vsOmuHyY6mSuwr18MBp3Qx4"

client = httpx.Client(
    base_url="https://billing.internal",
    headers={"Authorization": f"Bearer {BILLING_TOKEN}"},
)
