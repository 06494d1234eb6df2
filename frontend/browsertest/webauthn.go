package browsertest

import (
	"context"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
)

// Authenticator is a virtual passkey authenticator attached to a tab, as a
// phone or a laptop with a fingerprint reader would be: CTAP2, built in
// (transport "internal"), with resident keys (discoverable credentials,
// what passkeys are) and user verification that succeeds. It answers at
// once, with no prompt: the user's presence is simulated.
type Authenticator struct {
	b  *Browser
	ID webauthn.AuthenticatorID // for other WebAuthn protocol commands
}

// VirtualAuthenticator turns on the WebAuthn domain for the tab and adds a
// virtual authenticator to it. navigator.credentials.create and .get in
// the tab then use it, on pages served from localhost (see Serve) or
// https. The authenticator ends with the tab.
func (b *Browser) VirtualAuthenticator() *Authenticator {
	b.t.Helper()
	add := func(ctx context.Context, t *chromedp.Target) (webauthn.AuthenticatorID, error) {
		if _, err := cdp.Call(ctx, t, webauthn.Enable, webauthn.EnableParams{EnableUI: new(false)}); err != nil {
			return "", err
		}
		res, err := cdp.Call(ctx, t, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol:            webauthn.AuthenticatorProtocolCtap2,
				Transport:           webauthn.AuthenticatorTransportInternal,
				HasResidentKey:      true,
				HasUserVerification: true,
				IsUserVerified:      true,
				// Without it, every ceremony waits for a touch that never
				// comes and ends in NotAllowedError.
				AutomaticPresenceSimulation: true,
			},
		})
		return res.AuthenticatorID, err
	}
	id := run(b, b.t, "add a virtual authenticator", add)
	return &Authenticator{b: b, ID: id}
}

// Credentials returns the credentials (passkeys) that the authenticator
// holds, with their relying party id, user handle and sign count.
func (a *Authenticator) Credentials() []*webauthn.Credential {
	a.b.t.Helper()
	list := func(ctx context.Context, t *chromedp.Target) ([]*webauthn.Credential, error) {
		res, err := cdp.Call(ctx, t, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: a.ID})
		return res.Credentials, err
	}
	return run(a.b, a.b.t, "list the credentials of the virtual authenticator", list)
}

// SetUserVerified makes user verification succeed (true, the default) or
// fail (false), to test what a page does when the person is not verified.
func (a *Authenticator) SetUserVerified(ok bool) {
	a.b.t.Helper()
	set := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: a.ID, IsUserVerified: ok})
		return err
	})
	run(a.b, a.b.t, "set user verification", set)
}
