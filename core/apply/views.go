package apply

import (
	"os"

	"github.com/strata-build/strata/core/store"
)

// views are directories that show a stored entry whole, pooled package
// files and all, to a plugin that reads it: an installer disc reads the
// packages of the repository it carries.
type views []string

// of returns the path that holds all of e's files: its files directory,
// or a view of it made for the build.
func (vs *views) of(st *store.Store, e *store.Entry) (string, error) {
	if !e.HasPooled() {
		return st.FilesPath(e.Key), nil
	}
	dir, err := st.View(e)
	if err != nil {
		return "", err
	}
	*vs = append(*vs, dir)
	return dir, nil
}

// remove removes the views.
func (vs views) remove() {
	for _, dir := range vs {
		os.RemoveAll(dir)
	}
}
