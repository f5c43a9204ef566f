terraform {
  required_providers {
    cloudflare   = { source = "cloudflare/cloudflare", version = "~> 4.40" }
    digitalocean = { source = "digitalocean/digitalocean", version = "~> 2.40" }
    heroku       = { source = "heroku/heroku", version = "~> 5.2" }
  }
}

provider "cloudflare" {
  api_token = "cfut_1sUS5v57igA3yseGu2vkAhY9Yi9zUa6K5ANXvggdBomeJauq"
}

provider "digitalocean" {
  token = "dop_v1_4d89270f836100795fe07c17f4bc839d3491a00b21ae2dfe143cd65ff2bc36e8"
}

provider "heroku" {
  email   = "ops@corp.test"
  api_key = "HRKU-AAo7u5kYbLot_5p1hg2pTymjgaZAG71iUJWhK4damgHVEN23h6HP0Bbwofjj"
}

provider "alicloud" {
  access_key = "LTAI5tM885eeupGRI5A0vQsI"
  secret_key = "wULRPYZFLCzfuEvuqu04sCzSLIn9Mx"
  region     = "cn-hangzhou"
}

provider "ibm" {
  ibmcloud_api_key = "Lx7LBZNtaIxw1wfpcdG5YjUiVoeAJAm4-WNebQr9Miq0"
  region           = "us-south"
}

provider "vercel" {
  api_token = "vcp_nAkwJp3E2WGKcHXQDcIzHnAGnRkSCRojcF0fyP5Wnl1dQNrdZMw9sNsX"
}

provider "netlify" {
  token = "nfp_kM4kDesINUYnyp54Lzag9xNaCqR0vyvKLTS4UmDV"
}

provider "azuread" {
  tenant_id     = "35bf8281-a2c9-4a9f-a20c-d84cc8869503"
  client_id     = "dd6adf5f-b8e5-4d2b-ae36-c6b22f60a718"
  client_secret = "FVx8Q~hCnFxsmnRs8e7gnXW4OIiQSVUw2unzGCP1"
}

variable "datasets_sas_url" {
  default = "https://supportmldata.blob.core.windows.net/datasets?sp=rl&st=2026-01-05T08:00:00Z&se=2026-12-31T08:00:00Z&spr=https&sv=2022-11-02&sr=c&sig=NBrR9YAnwJf5uRLj%2F0wrxdLoxc14agk8sFeZ7WoCJad%3D"
}

variable "fly_api_token" {
  default = "FlyV1 fm2_230OstyLbMS9v7sUF067LCDnW7dcTNGMMFPk2e9MEKPvaa45lUtMX3uruNV5a6zScHPKQgris/6/EIpuHRYhW26QHolf64jFwuayV8gHV9B/uUUoatmdT0FYPbAGA+4WUMeC1Z7bte4vS1e/Zo2iAiqgIHRYwELzIcZCS4zKef/k2j6M7fwO,fm2_oXWq9BgNuC5oCnAIWiHjFRDhdyorv1Xj/mONa8G+eKuRVXE4HpUbk4F9p1DYRCzMdtiCFwlIhVF1Hkt8/8ngurq2n+eMzfd7HkA+T5D7ufy9s0nDq2AGYGnJ"
}

variable "supabase_access_token" {
  default = "sbp_41c682660cb32c91f7c2093891c31bc401c7ce53"
}

resource "digitalocean_droplet" "gpu" {
  image    = "gpu-h100x1-base"
  name     = "trainer-01"
  region   = "nyc2"
  size     = "gpu-h100x1-80gb"
  ssh_keys = ["9d:4d:16:9a:bc:1a:98:0b:2c:d0:55:f6:52:85:45:19"]
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}
