// Package startpages gives back the pages of strata's binary that
// starting it touched.
//
// Before main runs, the initializers of the five hundred packages linked
// into strata each touch a little of the binary, and the kernel maps the
// 64 KiB around every page touched: 17 MB of a 22 MB binary stays
// resident in every strata process, the core's and each plugin's, though
// a plan runs a small part of it. Release unmaps the binary's read-only
// pages once; what runs afterwards maps its pages again from the page
// cache as it runs.
package startpages
