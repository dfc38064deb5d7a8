locals {
  a = local.b
  b = "${local.c}-x"
  c = local.a
}

module "m" {
  requires = [module.n]
}

module "n" {
  requires = [module.m]
}
