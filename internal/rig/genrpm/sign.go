package genrpm

import (
	"bytes"
	"crypto"
	"fmt"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Key is an OpenPGP signing key made for tests, as a distribution's
// signing keys sign packages.
type Key struct {
	entity *openpgp.Entity
	config *packet.Config
}

// NewKey makes an RSA signing key (rpm's OpenPGP reader takes RSA keys
// with version 4 signatures over SHA-256).
func NewKey(name string) (*Key, error) {
	config := &packet.Config{Algorithm: packet.PubKeyAlgoRSA, RSABits: 2048, DefaultHash: crypto.SHA256}
	e, err := openpgp.NewEntity(name, "strata test key", "", config)
	if err != nil {
		return nil, err
	}
	return &Key{entity: e, config: config}, nil
}

// ID is the key's id, 16 hex digits as rpm prints it.
func (k *Key) ID() string { return fmt.Sprintf("%016x", k.entity.PrimaryKey.KeyId) }

// Sign returns a detached signature of data, as rpmsign makes them.
func (k *Key) Sign(data []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := openpgp.DetachSign(&b, k.entity, bytes.NewReader(data), k.config); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ArmoredPublic is the public key as rpmkeys --import reads it.
func (k *Key) ArmoredPublic() (string, error) {
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		return "", err
	}
	if err := k.entity.Serialize(w); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}
