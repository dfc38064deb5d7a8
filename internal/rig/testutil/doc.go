// Package testutil starts the servers tests run against: a registry and a
// Nomad cluster, each on 127.0.0.1 and stopped with the test.
package testutil
