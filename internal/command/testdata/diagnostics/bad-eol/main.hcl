module "m" {
  lifecycle {
    eol = "next year"
  }
}
