import os

import anthropic
import cohere
from transformers import AutoTokenizer

COHERE_KEY = os.getenv("COHERE_API_KEY", "0TwP0NLzvNPJlmNxanykbQ0H2oJhfPkKAGLnIK4i")
claude = anthropic.Anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY"))
tokenizer = AutoTokenizer.from_pretrained("meta-llama/Meta-Llama-3-8B", token=os.environ["HF_TOKEN"])
GENERATION = {"max_new_tokens": 512, "eos_token_id": [128001, 128009], "pad_token_id": 128001}
RUN_ID = "bafa4b93-d0ce-46d4-a463-893333e6542a"
