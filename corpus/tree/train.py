import os
from transformers import AutoTokenizer, AutoModelForCausalLM

# Credentials come from the environment; these lines must not be reported.
api_key = os.environ["OPENAI_API_KEY"]
hf_token = os.getenv("HF_TOKEN")
tokenizer = AutoTokenizer.from_pretrained("gpt2", token=hf_token)
max_tokens = 4096

# A checksum-failing look-alike: never issued by GitHub, must not be reported.
not_a_token = "ghp_RJK72wuXDMOPTNc7zuMnMDBR4hRx3G3LEwAA"

def push_results(repo):
    # Someone pasted a real token here while debugging.
    headers = {"Authorization": "token {{crc32:ghp_GurL1es7ukqqeaA355XqA9adgpbthg}}"}
    return headers
