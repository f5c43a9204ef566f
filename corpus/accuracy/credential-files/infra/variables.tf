variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "db_password" {
  type        = string
  description = "Password of the application's database user"
  sensitive   = true
  default     = "Tf4#pq9Lz2"
}

variable "api_token" {
  type      = string
  sensitive = true
}
