packageset "x" {
}
