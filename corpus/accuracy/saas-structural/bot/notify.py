import requests

TELEGRAM_URL = "https://api.telegram.org/bot9972147723:AANd8aDYBMOGTwn-eJo7XAV6NTo_QDuHOQQ/sendMessage"
TEAMS_WEBHOOK = "https://acme.webhook.office.com/webhookb2/9aba535b-3d6c-423a-917a-042f6cc0b917@479d284f-85ed-47b1-b4bd-011b2ccebdd8/IncomingWebhook/77b456b91f5fe2163ef6b09e4672e172/539a266b-a09f-4d9d-a83d-58a177073daa/V2lgt8tHragPUKDhsHl0xWcEMzb7ll4J66HWWKjpYz"


def notify(text: str) -> None:
    requests.post(TELEGRAM_URL, json={"chat_id": -100123, "text": text}, timeout=10)
