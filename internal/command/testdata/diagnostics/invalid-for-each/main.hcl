artifact "probe" "x" {
  for_each = ["a", "b"]
}
