package invalid

import (
	"errors"
	"testing"
)

func TestFields(t *testing.T) {
	errA, errB, errC := errors.New("a is wrong"), errors.New("b is wrong"), errors.New("never broken")
	var p Fields
	if p.Err("vote") != nil {
		t.Fatal("no field broke a rule, yet an error")
	}
	p.Add("question", errA)
	p.Add("options", errB)
	err := p.Err("vote")
	if !errors.Is(err, errA) || !errors.Is(err, errB) || errors.Is(err, errC) {
		t.Fatalf("errors.Is does not see exactly the rules broken: %v", err)
	}
	if want := "invalid vote: question: a is wrong; options: b is wrong"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	var inv *Error
	if !errors.As(err, &inv) || len(inv.Errors) != 2 || inv.Errors[1].Field != "options" {
		t.Errorf("errors.As gives %+v", inv)
	}
	if !p.Has("options") || p.Has("quorum") {
		t.Error("Has is wrong")
	}
}
