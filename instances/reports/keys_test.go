package reports_test

import (
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

func TestKeys(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		key, err := f.svc.CreateKey(f.ctx, accounts.As(f.admin), "Appli", f.bob.ID)
		wantErr(t, err, nil, "admin makes a key")
		if acc, err := f.svc.KeyAccount(f.ctx, key); err != nil || acc != f.bob.ID {
			t.Errorf("KeyAccount = %q, %v", acc, err)
		}
		if n := f.Count(t, "open311_keys", "key_hash = ?", key); n != 0 {
			t.Errorf("the key itself is stored")
		}
		for _, c := range []struct {
			name string
			who  accounts.Actor
			key  string
			want error
		}{
			{"an official", accounts.As(f.roads), "Appli 2", reports.ErrForbidden},
			{"no name", accounts.System, " ", reports.ErrKeyName},
			{"a long name", accounts.System, strings.Repeat("x", 81), reports.ErrKeyName},
		} {
			before := f.State(t)
			_, err := f.svc.CreateKey(f.ctx, c.who, c.key, f.bob.ID)
			wantErr(t, err, c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
		for _, k := range []string{"", "o311_", key + "0", strings.Repeat("k", 300)} {
			if _, err := f.svc.KeyAccount(f.ctx, k); err != reports.ErrBadKey {
				t.Errorf("KeyAccount(%q): %v", k, err)
			}
		}
	})
}
