// Package rig is the home of strata's test and benchmark rigs, kept apart
// from the product: genrpm generates packages and universes, testutil
// starts a registry and a Nomad cluster, cluster runs them, benchrun times
// commands, and probe is a plugin that misbehaves on request.
package rig
