module "base" {
  version = "twenty"
}
