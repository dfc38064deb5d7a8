package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	var sum atomic.Int64
	if err := Do(100, func(i int) error { sum.Add(int64(i)); return nil }); err != nil || sum.Load() != 4950 {
		t.Errorf("sum %d, err %v", sum.Load(), err)
	}
	err := Do(10, func(i int) error {
		if i == 3 || i == 7 {
			return errors.New(string(rune('0' + i)))
		}
		return nil
	})
	if err == nil || err.Error() != "3" {
		t.Errorf("err = %v, want the lowest failure", err)
	}
	if err := Do(0, func(int) error { return errors.New("never") }); err != nil {
		t.Error(err)
	}
}
