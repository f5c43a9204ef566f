# Fake credentials for keyhound's SARIF tests; none of them is real.
DEBUG = True
greeting = "Grüße, Zoë 𝄞"; HF_TOKEN = "hf_KGpOyQNcdOyZbkBFTFoOxtzHq8STZHE6sv"
database_password = "co7fcopoFShyAO9H5s"
