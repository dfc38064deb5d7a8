artifact "probe" "x" {
}

module "m" {
  summary = artifact.probe.x.digest
}
