package web

import (
	"strings"
	"testing"

	"agora/frontend/i18n"
	"agora/instances/accounts"
)

// Every kind of details the domain writes is said in words, in French
// and in English, with no key=value code left.
func TestAuditDetailsInWords(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := c.Printer("fr"), c.Printer("en")
	for _, tc := range []struct {
		details, wantFR, wantEN string
	}{
		{accounts.AuditOpenedByNode, "compte ouvert par la plateforme (commande d’administration ou démo)", "account opened by the platform (an admin command or the demo)"},
		{accounts.AuditOpenedAtDesk, "compte ouvert au guichet", "account opened at a desk"},
		{accounts.AuditSelfSignUp, "inscription par la personne elle-même", "signed up by the person themselves"},
		{"role=moderator", "rôle : Modération", "role: Moderation"},
		{"role=official service=Direction de la voirie et des déplacements",
			"rôle : Service de la ville ; service : Direction de la voirie et des déplacements",
			"role: City service; service: Direction de la voirie et des déplacements"},
		{"via=link", "avec un lien de connexion", "with a sign-in link"},
		{"via=passkey", "avec une clé d’accès", "with a passkey"},
		{"via=pigeon", "par un autre moyen (pigeon)", "another way (pigeon)"},
		{"method=operator", "enregistrée par l’exploitant de la plateforme", "recorded by the platform's operator"},
		{"method=desk document=Carte d'identité", "pièce vérifiée au guichet ; pièce : Carte d'identité", "document checked at a desk; document: Carte d'identité"},
		{"import=abc entries=12000 expires=2027-01-01", "import n° abc ; entrées : 12\u202f000 ; valable jusqu’au 1er janvier 2027",
			"import no. abc; entries: 12,000; valid until 1 January 2027"},
		{"batch=x1 codes=3 expires=2027-03-02", "lot n° x1 ; codes : 3 ; valable jusqu’au 2 mars 2027", "batch no. x1; codes: 3; valid until 2 March 2027"},
		{"stored=7 received=3", "compteur de la clé enregistré : 7 ; compteur reçu : 3", "passkey counter stored: 7; counter received: 3"},
		{"language=fr public=false", "langue : français ; profil non public", "language: French; profile not public"},
		{"changed=name,accent", "modifié : nom du territoire, couleur d’accent", "changed: territory's name, accent colour"},
		{"newfact=valeur", "valeur", "valeur"},
		{"texte libre d'une ancienne version", "texte libre d'une ancienne version", "texte libre d'une ancienne version"},
		{"", "", ""},
	} {
		if got := auditDetails(fr, tc.details); got != tc.wantFR {
			t.Errorf("fr %q = %q, want %q", tc.details, got, tc.wantFR)
		}
		if got := auditDetails(en, tc.details); got != tc.wantEN {
			t.Errorf("en %q = %q, want %q", tc.details, got, tc.wantEN)
		}
	}
	if got := auditReason(fr, accounts.AuditAtCreation); got != "donné à l’ouverture du compte" {
		t.Errorf("reason at creation = %q", got)
	}
	if got := auditReason(fr, "Demande écrite du 3 mars"); got != "Demande écrite du 3 mars" {
		t.Errorf("typed reason = %q", got)
	}
	if got := auditDetails(fr, "role=robot"); strings.Contains(got, "=") {
		t.Errorf("unknown role %q", got)
	}
}
