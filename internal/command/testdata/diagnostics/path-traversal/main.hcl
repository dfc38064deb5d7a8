compose {
  name    = "T"
  version = "1/../../../../x"
}

variable "flavors" {
  default = ["ok", "../../../../victim"]
}

variant "v" {
  uid = "../v"
}

artifact "probe" "x" {
  for_each = toset(var.flavors)
}
