// Package demo fills a node with a realistic French arrondissement, so a
// new user sees a living node at once: a participatory budget and a
// neighbourhood council, residents, staff, proposals in every state with
// official answers, supports, debates and comments. It goes through the
// same services as the web pages, so everything it creates is valid.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Services are what the demo writes through.
type Services struct {
	Accounts  *accounts.Service
	Spaces    *spaces.Service
	Proposals *proposals.Service
	Debates   *debates.Service
	// Decisions, when set, makes the votes' service on a clock: the demo
	// casts a closed vote's ballots in the past, as they were cast.
	Decisions func(now func() time.Time) *decisions.Service
}

// ErrLoaded means the demo is already there.
var ErrLoaded = errors.New("the demo is already loaded")

// BudgetSlug is the slug of the demo's participatory budget.
const BudgetSlug = "budget-participatif-2027"

// Load creates the demo content. It refuses to run twice.
func Load(ctx context.Context, svc Services, now time.Time) error {
	if _, err := svc.Spaces.BySlug(ctx, BudgetSlug); err == nil {
		return ErrLoaded
	} else if !errors.Is(err, spaces.ErrNotFound) {
		return err
	}
	people := map[string]*accounts.Account{}
	for _, p := range []struct {
		handle, name string
		roles        []accounts.Role
		service      string
		verified     bool
	}{
		{"demo_admin", "Administration (démo)", []accounts.Role{accounts.Admin, accounts.Moderator}, "", true},
		{"voirie", "Service de la voirie", []accounts.Role{accounts.Official}, "Direction de la voirie et des déplacements", true},
		{"espaces_verts", "Service des espaces verts", []accounts.Role{accounts.Official}, "Direction des espaces verts et de l’environnement", true},
		{"guichet_vaugirard", "Agent d’accueil, mairie", []accounts.Role{accounts.Agent}, "", true},
		{"camille", "Camille D.", nil, "", true},
		{"youssef", "Youssef B.", nil, "", true},
		{"marie_claire", "Marie-Claire L.", nil, "", true},
		{"thanh", "Thanh N.", nil, "", true},
		{"ines", "Inès R.", nil, "", true},
		{"bernard", "Bernard G.", nil, "", true},
		{"lea", "Léa M.", nil, "", false},
		{"jules", "Jules P.", nil, "", false},
	} {
		acc, err := svc.Accounts.Create(ctx, accounts.System, accounts.NewAccount{
			Handle: p.handle, DisplayName: p.name, Roles: p.roles, Service: p.service,
		})
		if err != nil {
			return fmt.Errorf("demo account %s: %w", p.handle, err)
		}
		if p.verified {
			if err := svc.Accounts.VerifyByOperator(ctx, acc.ID); err != nil {
				return err
			}
		}
		if acc, err = svc.Accounts.ByID(ctx, acc.ID); err != nil {
			return err
		}
		people[p.handle] = acc
	}

	day := 24 * time.Hour
	categories := []spaces.CategoryInput{
		{Slug: "espaces-verts", NameFR: "Espaces verts", NameEN: "Green spaces"},
		{Slug: "mobilite", NameFR: "Mobilité", NameEN: "Getting around"},
		{Slug: "proprete", NameFR: "Propreté", NameEN: "Cleanliness"},
		{Slug: "culture", NameFR: "Culture et patrimoine", NameEN: "Culture and heritage"},
		{Slug: "education", NameFR: "Éducation et jeunesse", NameEN: "Education and youth"},
		{Slug: "solidarite", NameFR: "Solidarité", NameEN: "Solidarity"},
	}
	budget, err := svc.Spaces.Create(ctx, accounts.System, spaces.NewSpace{
		Slug: BudgetSlug, Title: "Budget participatif 2027 du 15e arrondissement", Kind: spaces.Process,
		Description: "Vous décidez de l’usage de **3 millions d’euros** du budget d’investissement de l’arrondissement.\n\n" +
			"Proposez un projet d’intérêt général (une rue plus verte, un équipement sportif, une boîte à livres…), " +
			"soutenez ceux qui vous plaisent : à partir de 10 soutiens, les services de la Ville étudient la faisabilité " +
			"et répondent publiquement. Les projets retenus sont ensuite soumis au vote.\n\n" +
			"Pas d’ordinateur ? Déposez votre projet au guichet de la mairie, 31 rue Péclet.",
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Information, Name: "Ateliers de quartier", StartsAt: now.Add(-40 * day), EndsAt: now.Add(-20 * day)},
			{Kind: spaces.Proposals, Name: "Dépôt et soutien des projets", StartsAt: now.Add(-20 * day), EndsAt: now.Add(25 * day)},
			{Kind: spaces.Evaluation, Name: "Étude par les services", StartsAt: now.Add(25 * day), EndsAt: now.Add(70 * day)},
			{Kind: spaces.Vote, Name: "Vote", StartsAt: now.Add(70 * day), EndsAt: now.Add(85 * day)},
			{Kind: spaces.Implementation, Name: "Réalisation", StartsAt: now.Add(85 * day), EndsAt: now.Add(450 * day)},
		},
		Categories: categories, SupportThreshold: 10,
	})
	if err != nil {
		return fmt.Errorf("demo budget space: %w", err)
	}
	council, err := svc.Spaces.Create(ctx, accounts.System, spaces.NewSpace{
		Slug: "conseil-quartier-necker", Title: "Conseil de quartier Necker – Pasteur", Kind: spaces.Council,
		Description: "Le conseil de quartier réunit les habitantes et habitants du quartier Necker – Pasteur. " +
			"Il se réunit une fois par trimestre ; ses questions et ses débats sont ouverts à toutes et tous ici.",
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Proposals, Name: "Questions pour la séance de janvier", StartsAt: now.Add(-10 * day), EndsAt: now.Add(50 * day)},
			{Kind: spaces.Debate, Name: "Séance et débats", StartsAt: now.Add(50 * day), EndsAt: now.Add(80 * day)},
		},
		Categories: categories[:3], SupportThreshold: 0, UnverifiedMayPropose: true,
	})
	if err != nil {
		return fmt.Errorf("demo council space: %w", err)
	}

	type proposal struct {
		space                 *spaces.Space
		author, title, body   string
		category, address     string
		supporters            []string
		state                 proposals.State
		answeredBy, answer    string
		implemented, implNote string
		comments              []string
	}
	list := []proposal{
		{space: budget, author: "camille", category: "espaces-verts", address: "Rue de Vaugirard, entre les n° 280 et 320",
			title: "Planter des arbres rue de Vaugirard",
			body: "La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. " +
				"Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.",
			supporters: []string{"youssef", "marie_claire", "thanh", "ines", "bernard"},
			state:      proposals.Accepted, answeredBy: "espaces_verts",
			answer:   "Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.",
			comments: []string{"Excellente idée, l’été la rue est une fournaise.", "Attention aux places de livraison devant les commerces."}},
		{space: budget, author: "youssef", category: "mobilite", address: "Place Charles-Michels",
			title:      "Des arceaux vélos place Charles-Michels",
			body:       "Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.",
			supporters: []string{"camille", "thanh"},
			state:      proposals.Study, answeredBy: "voirie",
			answer: "Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars."},
		{space: budget, author: "marie_claire", category: "culture",
			title:      "Une boîte à livres dans chaque square",
			body:       "Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.",
			supporters: []string{"camille", "ines", "bernard", "youssef"},
			comments:   []string{"Le square Violet en a déjà une, mais elle est souvent vide !"}},
		{space: budget, author: "thanh", category: "education",
			title:      "Cour oasis pour l’école de la rue Blomet",
			body:       "Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.",
			supporters: []string{"camille", "youssef", "marie_claire", "ines", "bernard", "thanh"},
			state:      proposals.Review, answeredBy: "espaces_verts",
			answer: "Le projet a franchi le seuil de soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain."},
		{space: budget, author: "ines", category: "proprete",
			title:      "Des toilettes publiques gratuites près du marché Grenelle",
			body:       "Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.",
			supporters: []string{"bernard"},
			state:      proposals.Rejected, answeredBy: "voirie",
			answer: "Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif."},
		{space: budget, author: "bernard", category: "solidarite",
			title:      "Un frigo solidaire à la maison des associations",
			body:       "Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.",
			supporters: []string{"marie_claire"}},
		{space: budget, author: "youssef", category: "mobilite",
			title: "Ralentir la circulation devant le collège Guillaume-Apollinaire",
			body:  "Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie."},
		{space: budget, author: "camille", category: "espaces-verts",
			title: "Végétaliser les murs pignons rue Lecourbe",
			body:  "Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.",
			state: proposals.Withdrawn},
		{space: council, author: "lea", category: "proprete",
			title:    "Quand le dépôt sauvage rue Mademoiselle sera-t-il traité ?",
			body:     "Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?",
			comments: []string{"Même constat rue Cambronne."}},
		{space: council, author: "bernard", category: "mobilite",
			title: "Rétablir l’arrêt de bus Pasteur – Docteur-Roux",
			body:  "Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante."},
	}
	for _, p := range list {
		created, err := svc.Proposals.Create(ctx, accounts.As(people[p.author]), p.space.ID, proposals.Input{
			Title: p.title, Body: p.body, Category: p.category, Address: p.address,
		})
		if err != nil {
			return fmt.Errorf("demo proposal %q: %w", p.title, err)
		}
		for _, h := range p.supporters {
			if h == p.author {
				continue // an author does not support their own proposal
			}
			if err := svc.Proposals.Support(ctx, accounts.As(people[h]), created.ID); err != nil && !errors.Is(err, proposals.ErrClosed) {
				return fmt.Errorf("demo support: %w", err)
			}
		}
		switch {
		case p.state == proposals.Withdrawn:
			if err := svc.Proposals.Withdraw(ctx, accounts.As(people[p.author]), created.ID); err != nil {
				return err
			}
		case p.state != "":
			official := accounts.As(people[p.answeredBy])
			current, err := svc.Proposals.ByID(ctx, created.ID)
			if err != nil {
				return err
			}
			if current.State != p.state {
				if err := svc.Proposals.Answer(ctx, official, created.ID, p.state, p.answer); err != nil {
					return fmt.Errorf("demo answer on %q: %w", p.title, err)
				}
			}
		}
		var parent string
		for i, c := range p.comments {
			author := []string{"ines", "bernard", "thanh", "youssef"}[i%4]
			in := debates.NewComment{Target: debates.Target{Kind: debates.TargetProposal, ID: created.ID}, Body: c}
			if parent != "" {
				in = debates.NewComment{ParentID: parent, Body: c} // the next one replies: a small thread
			}
			added, err := svc.Debates.Add(ctx, accounts.As(people[author]), in)
			if err != nil {
				return fmt.Errorf("demo comment: %w", err)
			}
			parent = added.ID
		}
	}

	// A standalone debate of the council, with its arguments.
	d, err := svc.Debates.CreateDebate(ctx, accounts.As(people["marie_claire"]), debates.NewDebate{
		SpaceID:  council.ID,
		Question: "Faut-il rendre la rue du Commerce piétonne le dimanche ?",
		Description: "Les commerçants sont partagés, les familles plutôt favorables. " +
			"Le conseil de quartier rendra un avis à la mairie après ce débat.",
	})
	if err != nil {
		return fmt.Errorf("demo debate: %w", err)
	}
	for _, c := range []struct {
		who, body string
		align     debates.Alignment
	}{
		{"camille", "Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.", debates.AlignFor},
		{"bernard", "Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.", debates.AlignAgainst},
		{"thanh", "Un essai de trois mois permettrait de mesurer l’effet avant de décider.", debates.AlignNeutral},
	} {
		if _, err := svc.Debates.Add(ctx, accounts.As(people[c.who]), debates.NewComment{
			Target: debates.Target{Kind: debates.TargetDebate, ID: d.ID}, Body: c.body, Alignment: c.align,
		}); err != nil {
			return fmt.Errorf("demo debate comment: %w", err)
		}
	}
	return votes(ctx, svc, now, council, people)
}
