group "core" {
}

group "core" {
}
