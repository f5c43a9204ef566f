"""Builds the retrieval index: embeds documents and uploads them."""
import os

import boto3
import cohere
import voyageai
from deepgram import DeepgramClient
from openai import OpenAI
from qdrant_client import QdrantClient

# TODO move these to the secret manager before the demo
co = cohere.ClientV2(api_key="wIWPxs66XOuILzCcT9AWzUR8BXLiHMA7e0zbY63c")
qdrant = QdrantClient(
    url="https://d58d13ae-ee90-43c7-a275-bbddb7b2bf46.us-east4-0.gcp.cloud.qdrant.io:6333",
    api_key="HgOqkQZY|kAuqPegICYxOwEXHzrQiIqstfwcu_YIM3t5A",
)
dg = DeepgramClient("2699a60e19d76ec74cb44ba4b6d1193223a7fba9")
vo = voyageai.Client(api_key=os.environ["VOYAGE_API_KEY"])
reasoner = OpenAI(api_key="sk-398a6003f3d5d32a6c9df8c2eb74b0ae", base_url="https://api.deepseek.com")
r2 = boto3.client(
    "s3",
    endpoint_url="https://19a01f6a6b445d0e41a59edfe04f31a2.r2.cloudflarestorage.com",
    aws_access_key_id="0a5d2c65e6f5ac3c17a2e7e6b1d945f3",
    aws_secret_access_key="bf4c90cd0becc6991c6b765c65b3fd1eaf47de635663afe593f46807fbddf0a4",
)
EMBED_MODEL = "embed-v4.0"
CHUNK_SHA1 = "d2f6d2e4d57a17ab9d9db3b6e07fe5a32fe8bbc9"


def embed(texts):
    return co.embed(texts=texts, model=EMBED_MODEL, input_type="search_document")
