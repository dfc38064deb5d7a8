group "core" {
  mandatory = ["bash"
}
