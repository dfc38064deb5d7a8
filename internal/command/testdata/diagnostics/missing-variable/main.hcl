variable "arches" {
  type = list(string)
}

compose {
  name    = "X"
  version = "1"
  arches  = var.arches
}
