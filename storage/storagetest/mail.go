package storagetest

import "testing"

// Environment variables of the test SMTP server (Mailpit, started by
// .ci/run): where to send, and its API to read what it received.
const (
	SMTPURLEnv    = "AGORA_TEST_SMTP_URL"
	MailpitAPIEnv = "AGORA_TEST_MAILPIT_URL"
)

// SMTPServer returns the test SMTP server's URL (smtp://host:port) and
// its Mailpit API's base URL (http://host:port), skipping the test (or
// failing it in CI) when they are not set.
func SMTPServer(t testing.TB) (smtpURL, apiURL string) {
	t.Helper()
	smtpURL = Env(t, SMTPURLEnv, "an SMTP server (Mailpit)")
	apiURL = Env(t, MailpitAPIEnv, "Mailpit's API")
	return smtpURL, apiURL
}
