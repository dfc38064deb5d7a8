package sdk

import "testing"

func TestVariantFor(t *testing.T) {
	for _, tc := range []struct {
		content Content
		address string
		want    Variant
	}{
		{Content{Variant: &Variant{ID: "server", UID: "Server", Name: "Server", Type: "variant"}}, "artifact.yumrepo.os", Variant{ID: "server", UID: "Server", Name: "Server", Type: "variant"}},
		{Content{Variant: &Variant{ID: "server", Name: "Server"}}, "artifact.yumrepo.os", Variant{ID: "server", UID: "server", Name: "Server"}},
		{Content{}, `artifact.yumrepo.os["ws"]`, Variant{ID: "os-ws", UID: "os-ws", Name: "os-ws", Type: "variant"}},
		{Content{}, "artifact.iso.dvd[0]", Variant{ID: "dvd-0", UID: "dvd-0", Name: "dvd-0", Type: "variant"}},
	} {
		if got := tc.content.VariantFor(tc.address); got.ID != tc.want.ID || got.UID != tc.want.UID || got.Name != tc.want.Name || got.Type != tc.want.Type {
			t.Errorf("VariantFor(%s) = %+v, want %+v", tc.address, got, tc.want)
		}
	}
}
