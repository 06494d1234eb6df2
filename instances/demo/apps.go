package demo

// demoApps are the publiccode.yml files of the demo's catalogue: apps a
// city could share with others, made up for the demo (their repositories
// do not exist). The first is the one the arrondissement says it uses.
var demoApps = []string{`publiccodeYmlVersion: "0.4"
name: Réservation de salles municipales
url: "https://forge.example.org/paris15/reservation-salles.git"
platforms:
  - web
categories:
  - online-booking
  - facility-management
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Les associations et les habitants réservent les salles de la mairie en ligne.
    longDescription: >
      Un calendrier public des salles municipales (salles de réunion, gymnases,
      salle des fêtes) où une association ou un habitant demande un créneau,
      suit sa demande et reçoit la réponse du service ; les agents valident,
      refusent ou proposent un autre créneau depuis le même outil, et les
      clés sont remises à l'accueil de la mairie.
    features:
      - Calendrier public des salles
      - Demande de créneau en ligne ou au guichet
      - Validation par le service gestionnaire
  en:
    shortDescription: Associations and residents book the town hall's rooms online.
    longDescription: >
      A public calendar of the town hall's rooms (meeting rooms, gyms, the
      festival hall) where an association or a resident asks for a time slot,
      follows the request and gets the service's answer; staff accept, refuse
      or offer another slot from the same tool.
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: internal
  contacts:
    - name: Service numérique de la mairie du 15e
localisation:
  localisationReady: true
  availableLanguages:
    - fr
    - en
`, `publiccodeYmlVersion: "0.4"
name: Carte des arbres
url: "https://forge.example.org/paris15/carte-des-arbres.git"
platforms:
  - web
categories:
  - geographic-information-systems
  - data-visualization
developmentStatus: beta
softwareType: standalone/web
description:
  fr:
    shortDescription: La carte des arbres de la ville, avec leur essence, leur âge et les plantations prévues.
    longDescription: >
      Une carte où chacun voit les arbres d'alignement et des squares, leur
      essence, leur âge et leur état, ainsi que les plantations et les
      abattages prévus avec leur raison. Les données viennent de l'inventaire
      du service des espaces verts et sont publiées en données ouvertes.
    features:
      - Carte des arbres et de leur état
      - Plantations et abattages prévus
      - Export en données ouvertes
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Direction des espaces verts
localisation:
  localisationReady: false
  availableLanguages:
    - fr
`, `publiccodeYmlVersion: "0.4"
name: Signalements de voirie
url: "https://forge.example.org/paris15/signalements.git"
platforms:
  - web
  - android
  - ios
categories:
  - help-desk
  - customer-service-and-support
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Signaler un trottoir abîmé, un dépôt sauvage ou un éclairage en panne, avec une photo.
    longDescription: >
      Les habitants signalent un problème dans l'espace public depuis leur
      téléphone ou leur ordinateur, avec une photo et l'adresse ; le signalement
      arrive au service concerné, qui le traite et répond. Chacun suit ses
      signalements et voit ceux déjà faits près de chez lui, pour ne pas les
      faire deux fois.
    features:
      - Signalement avec photo et adresse
      - Suivi du traitement par le service
      - Carte des signalements en cours
legal:
  license: GPL-3.0-or-later
maintenance:
  type: internal
  contacts:
    - name: Direction de la voirie et des déplacements
localisation:
  localisationReady: false
  availableLanguages:
    - fr
`}
