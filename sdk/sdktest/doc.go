// Package sdktest helps test strata plugins: it runs a plugin in process
// over the real protocol, builds RPM packages for test inputs, and finds
// the command-line tools that judge a plugin's output.
package sdktest
