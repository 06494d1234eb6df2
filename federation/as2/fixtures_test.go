package as2

import (
	"net/url"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// The domain values the rendering tests render: one node, one space,
// the people and what they wrote.

const testPEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest\n-----END PUBLIC KEY-----\n"

func testRenderer() Renderer {
	base, _ := url.Parse("https://paris15.example/")
	return Renderer{IDs: IDs{Base: base}}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func testSpace() *spaces.Space {
	return &spaces.Space{
		ID: "sp1", Slug: "budget-2027", Title: "Budget participatif 2027",
		Description: "Proposez, **soutenez**.", Kind: spaces.Process, SupportThreshold: 50,
		CreatedAt: at("2026-09-01T08:00:00.250000Z"), UpdatedAt: at("2026-09-02T08:00:00Z"),
		Categories: []spaces.Category{{SpaceID: "sp1", Slug: "espaces-verts", NameFR: "Espaces verts"}},
	}
}

const testSpaceHTML = "<p>Proposez, <strong>soutenez</strong>.</p>"

func testJeanne() *accounts.Account {
	return &accounts.Account{ID: "acc-jeanne", Handle: "jeanne", DisplayName: "Jeanne Martin", Language: "fr",
		Public: true, CreatedAt: at("2026-08-15T10:00:00Z")}
}

func testMarc() *accounts.Account {
	return &accounts.Account{ID: "acc-marc", Handle: "marc", DisplayName: "Marc Petit", Language: "fr",
		CreatedAt: at("2026-08-16T10:00:00Z")}
}

func testProposal() *proposals.Proposal {
	return &proposals.Proposal{
		ID: "22h2bnyvinhsbtce4vhmrpih6i", SpaceID: "sp1", AuthorID: "acc-jeanne",
		Title:    "Des bancs à l’ombre au square Violet",
		Body:     "Des bancs **à l’ombre**, près des jeux.",
		BodyHTML: "<p>Des bancs <strong>à l’ombre</strong>, près des jeux.</p>",
		Category: "espaces-verts", Address: "Square Violet, 75015 Paris", Lat: ptr(48.8466), Lon: ptr(2.2922),
		State: proposals.Study, SupportCount: 42, CommentCount: 3,
		CreatedAt: at("2026-10-01T08:00:00.123456Z"), UpdatedAt: at("2026-11-20T10:00:00Z"),
		Author: testJeanne(),
	}
}

func testAttachments() []proposals.Attachment {
	return []proposals.Attachment{
		{ProposalID: "22h2bnyvinhsbtce4vhmrpih6i", Position: 1, BlobKey: "sha256-a", Name: "square.jpg", ContentType: "image/jpeg", Size: 120_000},
		{ProposalID: "22h2bnyvinhsbtce4vhmrpih6i", Position: 2, BlobKey: "sha256-b", Name: "plan.pdf", ContentType: "application/pdf", Size: 300_000},
	}
}

func testTimeline() []proposals.Event {
	return []proposals.Event{
		{ID: 1, ProposalID: "22h2bnyvinhsbtce4vhmrpih6i", Kind: "published", ToState: proposals.Published},
		{ID: 2, ProposalID: "22h2bnyvinhsbtce4vhmrpih6i", Kind: "review", FromState: proposals.Published, ToState: proposals.Review},
		{ID: 3, ProposalID: "22h2bnyvinhsbtce4vhmrpih6i", Kind: "answer", FromState: proposals.Review, ToState: proposals.Study,
			Answer: "Les bancs seront posés au printemps,\naprès l’avis des jardiniers.", Service: "Voirie"},
	}
}

// testComment is Jeanne's comment on the proposal, for it.
func testComment() *debates.Comment {
	return &debates.Comment{
		ID: "q3m0c8t1", TargetKind: debates.TargetProposal, TargetID: "22h2bnyvinhsbtce4vhmrpih6i",
		AuthorID: "acc-jeanne", Body: "Oui, et **à l’ombre**.", BodyHTML: "<p>Oui, et <strong>à l’ombre</strong>.</p>",
		Alignment: debates.AlignFor, CreatedAt: at("2026-11-25T08:00:00Z"),
		Author: &debates.Author{ID: "acc-jeanne", Handle: "jeanne", DisplayName: "Jeanne Martin", Public: true},
	}
}

// testReply is Marc's answer to it; Marc is not public.
func testReply() *debates.Comment {
	return &debates.Comment{
		ID: "x9t2p4k7", TargetKind: debates.TargetProposal, TargetID: "22h2bnyvinhsbtce4vhmrpih6i", ParentID: "q3m0c8t1",
		Depth: 1, AuthorID: "acc-marc", Body: "Et des arbres.", BodyHTML: "<p>Et des arbres.</p>",
		CreatedAt: at("2026-11-25T09:00:00Z"), EditedAt: ptr(at("2026-11-25T09:05:00Z")),
		Author: &debates.Author{ID: "acc-marc", Handle: "marc", DisplayName: "Marc Petit"},
	}
}

func testDebate() *debates.Debate {
	return &debates.Debate{
		ID: "d7k2m9q4", SpaceID: "sp1", AuthorID: "acc-jeanne",
		Question:    "Faut-il piétonniser la rue du Commerce ?",
		Description: "Le samedi au moins.", DescriptionHTML: "<p>Le samedi au moins.</p>",
		State: debates.DebateClosed, Conclusion: "Oui, le samedi.", ConclusionHTML: "<p>Oui, le samedi.</p>",
		CommentCount: 12, CreatedAt: at("2026-10-05T08:00:00Z"), ClosedAt: ptr(at("2026-11-05T08:00:00Z")),
	}
}
