artifact "probe" "x" {
  count    = 2
  for_each = { a = 1 }
}
