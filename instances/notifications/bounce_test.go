package notifications_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agora/instances/notifications"
)

// key is the bounce key in testdata/bounces.
const key = "0123456789abcdef01234567"

// TestParseBounce reads bounces as Postfix, Exim and a large provider
// send them: the recipient, the key of the VERP envelope, hard or soft;
// a report of success, a resident's reply and garbage are no bounce.
func TestParseBounce(t *testing.T) {
	for _, tc := range []struct {
		file, envelope string
		want           notifications.Bounce
		err            error
	}{
		{file: "postfix-hard.eml", want: notifications.Bounce{Recipient: "camille@example.org", Key: key, Status: "5.1.1", Hard: true,
			Detail: "550 5.1.1 <camille@example.org>: Recipient address rejected: User unknown in virtual mailbox table"}},
		{file: "exim-hard.eml", want: notifications.Bounce{Recipient: "dominique@exemple.fr", Key: key, Status: "5.0.0", Hard: true,
			Detail: "550 5.1.1 <dominique@exemple.fr>: adresse inconnue / no such user"}},
		{file: "postfix-delayed.eml", want: notifications.Bounce{Recipient: "camille@example.org", Key: key, Status: "4.2.2",
			Detail: "452 4.2.2 <camille@example.org>: Mailbox full"}},
		{file: "base64-status.eml", want: notifications.Bounce{Recipient: "alix@exemple.fr", Key: key, Status: "5.1.1", Hard: true,
			Detail: "550 5.1.1 The email account that you tried to reach does not exist."}},
		{file: "exim-plain.eml", want: notifications.Bounce{Recipient: "noemie@exemple.fr", Hard: true, Detail: "550 Unrouteable address"}},
		// The MTA's envelope recipient names the key when no header does.
		{file: "exim-plain.eml", envelope: "bounces+ABCDEF0123456789abcdef01@paris15.example",
			want: notifications.Bounce{Recipient: "noemie@exemple.fr", Key: "abcdef0123456789abcdef01", Hard: true, Detail: "550 Unrouteable address"}},
		{file: "delivered.eml", err: notifications.ErrBounce},
		{file: "reply.eml", err: notifications.ErrBounce},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "bounces", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := notifications.ParseBounce(f, tc.envelope)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if tc.err != nil {
				return
			}
			if *got != tc.want {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
	for name, in := range map[string]string{
		"empty":          "",
		"no headers":     "\x00\x01\x02",
		"not multipart":  "Subject: hello\r\n\r\nhello",
		"bad boundary":   "Content-Type: multipart/report; report-type=delivery-status\r\n\r\n--x\r\n",
		"success report": "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n",
	} {
		if _, err := notifications.ParseBounce(strings.NewReader(in), ""); !errors.Is(err, notifications.ErrBounce) {
			t.Errorf("%s: err = %v, want ErrBounce", name, err)
		}
	}
	big := "Subject: Undelivered Mail\r\n\r\n" + strings.Repeat("550 5.1.1 user unknown\r\n", notifications.MaxBounceSize/20)
	if _, err := notifications.ParseBounce(strings.NewReader(big), ""); !errors.Is(err, notifications.ErrBounceSize) {
		t.Errorf("a bounce over 1 MiB: %v", err)
	}
}

// TestParseBounceBounded: nested parts far deeper than read, and
// thousands of them, are read within the size and in little time.
func TestParseBounceBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("To: bounces+" + key + "@paris15.example\r\n")
	for i := range 200 {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i) + "\r\n\r\n--b" + strings.Repeat("x", i) + "\r\n")
	}
	for range 5000 {
		b.WriteString("--b" + strings.Repeat("x", 199) + "\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\n\r\n")
	}
	start := time.Now()
	_, err := notifications.ParseBounce(bytes.NewReader(b.Bytes()), "")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a hostile bounce took %v", d)
	}
	if err == nil {
		t.Error("a bounce found 200 parts deep")
	}
}

// FuzzParseBounce: no input panics, hangs or yields a bounce that
// names neither an address nor a key, or keeps a detail with control
// characters.
func FuzzParseBounce(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bounces", "*.eml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	f.Add([]byte("Content-Type: multipart/report; boundary=a\r\n\r\n--a\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n====\r\n--a--"), "bounces+"+key+"@x.example")
	f.Fuzz(func(t *testing.T, data []byte, envelope string) {
		b, err := notifications.ParseBounce(bytes.NewReader(data), envelope)
		if err != nil {
			if b != nil {
				t.Fatal("a bounce and an error")
			}
			return
		}
		if len(b.Detail) > 4*300+3 || strings.ContainsAny(b.Detail, "\r\n\t\x00") {
			t.Fatalf("detail %q", b.Detail)
		}
		if len(b.Recipient) > notifications.MaxAddress || len(b.Key) != 0 && len(b.Key) != 24 {
			t.Fatalf("bounce %+v", b)
		}
	})
}
