// Package demo fills a node with a realistic arrondissement, Paris 15e,
// so a new user sees a lived-in node at once: a participatory budget and
// a neighbourhood council, each with its debate; residents, staff and
// proposals in every state, whose supports agree with the space's
// threshold; official answers, comments, a hidden comment in the public
// moderation log, and a few apps in the catalogue. Phases start and end at
// midnight in Paris, as a city would set them. It goes through the same
// services as the web pages, so everything it creates is valid.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/moderation"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/site"
	"agora/instances/spaces"
)

// Services are what the demo writes through.
type Services struct {
	Accounts   *accounts.Service
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *moderation.Service
	Apps       *apps.Service
	Site       *site.Service
	// Projects, when set, adds last year's participatory budget, counted
	// and being built.
	Projects *projects.Service
	// Decisions, when set, makes the votes' service on a clock: the demo
	// casts a closed vote's ballots in the past, as they were cast.
	Decisions func(now func() time.Time) *decisions.Service
	// Voting, when set with Projects and Decisions, adds this year's
	// edition in its vote phase, on a clock as Decisions is.
	Voting func(now func() time.Time) *projects.Voting
	// Reports, when set, adds street reports on a clock (streets.go).
	Reports func(now func() time.Time) *reports.Service
	// Council, when set with Reports and Decisions, adds suggestions of
	// new amenities ranked by the neighbourhood council (suggestions.go).
	Council func(now func() time.Time) *reports.Council
}

// ErrLoaded means the demo is already there.
var ErrLoaded = errors.New("the demo is already loaded")

// BudgetSlug is the slug of the demo's participatory budget.
const BudgetSlug = "budget-participatif-2027"

// Name is the demo's territory, shown as the node's name.
const Name = "Paris 15e"

// Threshold is the supports that send a proposal of the demo's budget to
// the city's services.
const Threshold = 10

// Location is the demo's time zone: its phases change at midnight there.
func Location() (*time.Location, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, fmt.Errorf("demo: time zone: %w", err)
	}
	return loc, nil
}

// residents are the demo's residents, verified unless listed in
// unverified; supports are taken from them in this order.
var residents = []struct{ handle, name string }{
	{"camille", "Camille D."}, {"youssef", "Youssef B."}, {"marie_claire", "Marie-Claire L."},
	{"thanh", "Thanh N."}, {"ines", "Inès R."}, {"bernard", "Bernard G."},
	{"sophie", "Sophie K."}, {"karim", "Karim A."}, {"nadia", "Nadia E."}, {"paul", "Paul V."},
	{"chloe", "Chloé T."}, {"antoine", "Antoine F."}, {"fatou", "Fatou D."}, {"hugo", "Hugo L."},
	{"mathilde", "Mathilde S."}, {"olivier", "Olivier C."},
	{"lea", "Léa M."}, {"jules", "Jules P."},
}

var unverified = map[string]bool{"lea": true, "jules": true}

// supporters returns n verified residents other than the author, in the
// order of residents: authors never support their own proposal, and
// staff never support.
func supporters(n int, author string) []string {
	var out []string
	for _, r := range residents {
		if len(out) == n {
			break
		}
		if r.handle != author && !unverified[r.handle] {
			out = append(out, r.handle)
		}
	}
	return out
}

// Load creates the demo content. It refuses to run twice.
func Load(ctx context.Context, svc Services, now time.Time) error {
	if _, err := svc.Spaces.BySlug(ctx, BudgetSlug); err == nil {
		return ErrLoaded
	} else if !errors.Is(err, spaces.ErrNotFound) {
		return err
	}
	loc, err := Location()
	if err != nil {
		return err
	}
	// Phases change at midnight in Paris: day(n) is the midnight n days
	// from today's (AddDate keeps midnight across daylight saving time).
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	day := func(n int) time.Time { return today.AddDate(0, 0, n) }

	if err := name(ctx, svc.Site); err != nil {
		return err
	}
	people := map[string]*accounts.Account{}
	type person struct {
		handle, name string
		roles        []accounts.Role
		service      string
	}
	staff := []person{
		{"demo_admin", "Administration (démo)", []accounts.Role{accounts.Admin, accounts.Moderator}, ""},
		{"voirie", "Service de la voirie", []accounts.Role{accounts.Official}, "Direction de la voirie et des déplacements"},
		{"espaces_verts", "Service des espaces verts", []accounts.Role{accounts.Official}, "Direction des espaces verts et de l’environnement"},
		{"guichet_vaugirard", "Agent d’accueil, mairie du 15e", []accounts.Role{accounts.Agent}, ""},
	}
	for _, r := range residents {
		staff = append(staff, person{handle: r.handle, name: r.name})
	}
	for _, p := range staff {
		acc, err := svc.Accounts.Create(ctx, accounts.System, accounts.NewAccount{
			Handle: p.handle, DisplayName: p.name, Roles: p.roles, Service: p.service,
		})
		if err != nil {
			return fmt.Errorf("demo account %s: %w", p.handle, err)
		}
		if !unverified[p.handle] {
			if err := svc.Accounts.VerifyByOperator(ctx, acc.ID, accounts.Electoral{}); err != nil {
				return err
			}
		}
		if acc, err = svc.Accounts.ByID(ctx, acc.ID); err != nil {
			return err
		}
		people[p.handle] = acc
	}

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
			"soutenez ceux qui vous plaisent : à partir de " + fmt.Sprint(Threshold) + " soutiens, les services de la Ville étudient la faisabilité " +
			"et répondent publiquement. Les projets retenus sont ensuite soumis au vote.\n\n" +
			"Pas d’ordinateur ? Déposez votre projet au guichet de la mairie, 31 rue Péclet.",
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Information, Name: "Ateliers de quartier", StartsAt: day(-40), EndsAt: day(-20)},
			{Kind: spaces.Proposals, Name: "Dépôt et soutien des projets", StartsAt: day(-20), EndsAt: day(25)},
			{Kind: spaces.Coconstruction, Name: "Ateliers de co-construction", StartsAt: day(25), EndsAt: day(40)},
			{Kind: spaces.Evaluation, Name: "Étude par les services", StartsAt: day(40), EndsAt: day(70)},
			{Kind: spaces.Vote, Name: "Vote", StartsAt: day(70), EndsAt: day(85)},
			{Kind: spaces.Results, Name: "Résultats", StartsAt: day(85), EndsAt: day(92)},
			{Kind: spaces.Implementation, Name: "Réalisation", StartsAt: day(92), EndsAt: day(450)},
		},
		Categories: categories, SupportThreshold: Threshold,
	})
	if err != nil {
		return fmt.Errorf("demo budget space: %w", err)
	}
	council, err := svc.Spaces.Create(ctx, accounts.System, spaces.NewSpace{
		Slug: "conseil-quartier-necker", Title: "Conseil de quartier Necker – Pasteur", Kind: spaces.Council,
		Description: "Le conseil de quartier réunit les habitantes et habitants du quartier Necker – Pasteur. " +
			"Il se réunit une fois par trimestre ; ses questions et ses débats sont ouverts à toutes et tous ici.",
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Proposals, Name: "Questions pour la prochaine séance", StartsAt: day(-10), EndsAt: day(50)},
			{Kind: spaces.Debate, Name: "Séance et débats", StartsAt: day(50), EndsAt: day(80)},
		},
		Categories: categories[:3], SupportThreshold: 0, UnverifiedMayPropose: true,
	})
	if err != nil {
		return fmt.Errorf("demo council space: %w", err)
	}

	type proposal struct {
		space               *spaces.Space
		author, title, body string
		category, address   string
		supports            int // taken from supporters()
		// state is where officials moved it, through answer; a proposal
		// that reaches the threshold goes to review by itself first.
		state              proposals.State
		answeredBy, answer string
		comments           []string
	}
	list := []proposal{
		{space: budget, author: "camille", category: "espaces-verts", address: "Rue de Vaugirard, entre les n° 280 et 320",
			title: "Planter des arbres rue de Vaugirard",
			body: "La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. " +
				"Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.",
			supports: 14, state: proposals.Accepted, answeredBy: "espaces_verts",
			answer:   "Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.",
			comments: []string{"Excellente idée, l’été la rue est une fournaise.", "Attention aux places de livraison devant les commerces."}},
		{space: budget, author: "youssef", category: "mobilite", address: "Place Charles-Michels",
			title:    "Des arceaux vélos place Charles-Michels",
			body:     "Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.",
			supports: 11, state: proposals.Study, answeredBy: "voirie",
			answer: "Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars."},
		{space: budget, author: "marie_claire", category: "culture",
			title:    "Une boîte à livres dans chaque square",
			body:     "Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.",
			supports: Threshold, // just reached: in review, no answer yet
			comments: []string{"Le square Violet en a déjà une, mais elle est souvent vide !"}},
		{space: budget, author: "thanh", category: "education",
			title:    "Cour oasis pour l’école de la rue Blomet",
			body:     "Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.",
			supports: 12, state: proposals.Study, answeredBy: "espaces_verts",
			answer: fmt.Sprintf("Le projet a franchi le seuil de %d soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain.", Threshold)},
		{space: budget, author: "ines", category: "proprete",
			title:    "Des toilettes publiques gratuites près du marché Grenelle",
			body:     "Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.",
			supports: 3, state: proposals.Rejected, answeredBy: "voirie",
			answer: "Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif."},
		{space: budget, author: "bernard", category: "solidarite",
			title:    "Un frigo solidaire à la maison des associations",
			body:     "Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.",
			supports: 6,
			comments: []string{"L’épicerie de la rue Lecourbe est prête à y déposer ses invendus.", "Qui nettoierait le frigo, et à quelle fréquence ?"}},
		{space: budget, author: "youssef", category: "mobilite",
			title:    "Ralentir la circulation devant le collège Guillaume-Apollinaire",
			body:     "Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.",
			supports: 2},
		{space: budget, author: "camille", category: "espaces-verts",
			title: "Végétaliser les murs pignons rue Lecourbe",
			body:  "Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.",
			state: proposals.Withdrawn},
		{space: council, author: "lea", category: "proprete",
			title:    "Quand le dépôt sauvage rue Mademoiselle sera-t-il traité ?",
			body:     "Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?",
			supports: 4,
			comments: []string{"Même constat rue Cambronne."}},
		{space: council, author: "bernard", category: "mobilite",
			title:    "Rétablir l’arrêt de bus Pasteur – Docteur-Roux",
			body:     "Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.",
			supports: 5},
	}
	byTitle := map[string]string{}
	for _, p := range list {
		created, err := svc.Proposals.Create(ctx, accounts.As(people[p.author]), p.space.ID, proposals.Input{
			Title: p.title, Body: p.body, Category: p.category, Address: p.address,
		})
		if err != nil {
			return fmt.Errorf("demo proposal %q: %w", p.title, err)
		}
		byTitle[p.title] = created.ID
		for _, h := range supporters(p.supports, p.author) {
			if err := svc.Proposals.Support(ctx, accounts.As(people[h]), created.ID); err != nil && !errors.Is(err, proposals.ErrClosed) {
				return fmt.Errorf("demo support of %q: %w", p.title, err)
			}
		}
		switch p.state {
		case "":
		case proposals.Withdrawn:
			if err := svc.Proposals.Withdraw(ctx, accounts.As(people[p.author]), created.ID); err != nil {
				return err
			}
		default:
			if err := svc.Proposals.Answer(ctx, accounts.As(people[p.answeredBy]), created.ID, p.state, p.answer); err != nil {
				return fmt.Errorf("demo answer on %q: %w", p.title, err)
			}
		}
		if err := thread(ctx, svc.Debates, people, debates.Target{Kind: debates.TargetProposal, ID: created.ID}, p.comments); err != nil {
			return err
		}
	}

	// A debate in every space, with its arguments.
	for _, d := range []struct {
		space                 *spaces.Space
		author, question, why string
		arguments             []argument
	}{
		{council, "marie_claire", "Faut-il rendre la rue du Commerce piétonne le dimanche ?",
			"Les commerçants sont partagés, les familles plutôt favorables. " +
				"Le conseil de quartier rendra un avis à la mairie après ce débat.",
			[]argument{
				{"camille", "Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.", debates.AlignFor},
				{"bernard", "Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.", debates.AlignAgainst},
				{"thanh", "Un essai de trois mois permettrait de mesurer l’effet avant de décider.", debates.AlignNeutral},
			}},
		{budget, "sophie", "Faut-il réserver une part du budget aux projets des moins de 25 ans ?",
			"Dans d’autres arrondissements, une part du budget participatif est réservée aux projets portés par des jeunes. " +
				"Les avis exprimés ici seront transmis à la commission qui fixe le règlement de l’édition suivante.",
			[]argument{
				{"hugo", "Oui : les jeunes proposent peu, une part réservée les encouragerait à déposer des projets.", debates.AlignFor},
				{"olivier", "Non : un bon projet doit être retenu quel que soit l’âge de la personne qui le porte.", debates.AlignAgainst},
				{"fatou", "Plutôt des ateliers dans les collèges et les lycées pour aider à écrire les projets.", debates.AlignNeutral},
			}},
	} {
		created, err := svc.Debates.CreateDebate(ctx, accounts.As(people[d.author]), debates.NewDebate{
			SpaceID: d.space.ID, Question: d.question, Description: d.why,
		})
		if err != nil {
			return fmt.Errorf("demo debate: %w", err)
		}
		for _, a := range d.arguments {
			if _, err := svc.Debates.Add(ctx, accounts.As(people[a.who]), debates.NewComment{
				Target: debates.Target{Kind: debates.TargetDebate, ID: created.ID}, Body: a.body, Alignment: a.align,
			}); err != nil {
				return fmt.Errorf("demo debate comment: %w", err)
			}
		}
	}

	if err := moderate(ctx, svc, people, byTitle["Un frigo solidaire à la maison des associations"]); err != nil {
		return err
	}
	if err := catalogue(ctx, svc.Apps, day(-200)); err != nil {
		return err
	}
	if svc.Projects != nil {
		if err := loadLastEdition(ctx, svc.Projects, budget.ID, people["espaces_verts"]); err != nil {
			return err
		}
	}
	if svc.Reports != nil {
		if err := streetReports(ctx, svc.Reports, people, now); err != nil {
			return err
		}
	}
	if err := votes(ctx, svc, now, council, people); err != nil {
		return err
	}
	if err := suggestions(ctx, svc, now, council, people); err != nil {
		return err
	}
	if svc.Projects != nil && svc.Voting != nil {
		return loadVoteEdition(ctx, svc, now, budget.ID, people)
	}
	return nil
}

// argument is one comment of a debate, for or against.
type argument struct {
	who, body string
	align     debates.Alignment
}

// thread adds comments under a target, each replying to the one before:
// a small conversation.
func thread(ctx context.Context, svc *debates.Service, people map[string]*accounts.Account, target debates.Target, bodies []string) error {
	var parent string
	for i, body := range bodies {
		author := []string{"ines", "bernard", "thanh", "youssef"}[i%4]
		in := debates.NewComment{Target: target, Body: body}
		if parent != "" {
			in = debates.NewComment{ParentID: parent, Body: body}
		}
		added, err := svc.Add(ctx, accounts.As(people[author]), in)
		if err != nil {
			return fmt.Errorf("demo comment: %w", err)
		}
		parent = added.ID
	}
	return nil
}

// moderate gives the public moderation log its first line: an insulting
// comment on a proposal, reported by a resident, hidden by a moderator
// with the reason residents read in its place, and the report closed.
func moderate(ctx context.Context, svc Services, people map[string]*accounts.Account, proposalID string) error {
	c, err := svc.Debates.Add(ctx, accounts.As(people["jules"]), debates.NewComment{
		Target: debates.Target{Kind: debates.TargetProposal, ID: proposalID},
		Body:   "Encore un projet de donneurs de leçons. Ceux qui soutiennent ça sont des imbéciles.",
	})
	if err != nil {
		return fmt.Errorf("demo comment to hide: %w", err)
	}
	target := moderation.Target{Kind: moderation.TargetComment, ID: c.ID}
	report, err := svc.Moderation.Report(ctx, accounts.As(people["mathilde"]), target,
		"Ce commentaire insulte les personnes qui soutiennent le projet.")
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	moderator := accounts.As(people["demo_admin"])
	if err := svc.Moderation.Hide(ctx, moderator, target,
		"Propos insultants envers d’autres participants, contraires à la charte de participation."); err != nil {
		return fmt.Errorf("demo hide: %w", err)
	}
	// Hiding may close the reports it answers by itself; if not, close it.
	if _, err := svc.Moderation.Resolve(ctx, moderator, report.ID, "Commentaire masqué : propos insultants."); err != nil &&
		!errors.Is(err, moderation.ErrResolved) {
		return fmt.Errorf("demo report resolution: %w", err)
	}
	return nil
}

// name gives the node the demo's name and a welcome text, unless an
// admin already named it.
func name(ctx context.Context, svc *site.Service) error {
	st, err := svc.Get(ctx)
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	if st.Name != "" {
		return nil
	}
	st.Name = Name
	if st.WelcomeFR == "" && st.WelcomeEN == "" {
		st.WelcomeFR = "Bienvenue sur la plateforme de participation du 15e arrondissement : proposez, soutenez, débattez. " +
			"*Ceci est une démonstration : les personnes et les projets sont inventés.*"
		st.WelcomeEN = "Welcome to the participation platform of the 15th arrondissement: propose, support, debate. " +
			"*This is a demonstration: people and projects are made up.*"
	}
	if err := svc.Update(ctx, accounts.System, st); err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	return nil
}

// catalogue publishes the demo's apps and records that the arrondissement
// uses one of them since since.
func catalogue(ctx context.Context, svc *apps.Service, since time.Time) error {
	for i, yml := range demoApps {
		a, fes, err := svc.Publish(ctx, accounts.System, strings.NewReader(yml))
		if err != nil {
			return fmt.Errorf("demo app %d: %w %v", i, err, fes)
		}
		if i == 0 {
			if _, err := svc.Adopt(ctx, accounts.System, a.Slug, apps.AdoptionInput{
				Name: "Mairie du 15e arrondissement", Version: "2.3", Contact: "Service numérique de la mairie", Since: since,
			}); err != nil {
				return fmt.Errorf("demo adoption: %w", err)
			}
		}
	}
	return nil
}
