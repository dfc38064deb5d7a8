module "base-runtime" {
}

variant "server" {
  modules = [module.base-runtme]
}
