variable "flavors" {
  default = ["ok", "../../../../victim"]
}

artifact "probe" "x" {
  for_each = toset(var.flavors)
}
