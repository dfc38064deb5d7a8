package command

import (
	"fmt"

	"github.com/strata-build/strata/sdk/host"
)

func runVersion(c *cli, args []string) int {
	fs := c.flags()
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	fmt.Fprintf(c.stdout, "strata v%s (plugin protocol %d)\n", Version, host.ProtocolVersion)
	return exitOK
}
