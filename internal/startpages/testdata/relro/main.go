// Command relro releases its start pages, then calls the C library:
// TestReleaseKeepsRelocatedTables builds it linked by the system linker,
// whose relocated tables are read-only once the loader has written them.
package main

import (
	"fmt"
	"os"
	"os/user"

	"github.com/strata-build/strata/internal/startpages"
)

func main() {
	startpages.Release()
	u, err := user.LookupId("0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(u.Username)
}
