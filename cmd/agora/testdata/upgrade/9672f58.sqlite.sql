PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE agora_migrations ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" VARCHAR, "group_id" INTEGER, "migrated_at" TIMESTAMP NOT NULL DEFAULT current_timestamp);
INSERT INTO agora_migrations VALUES(1,'20261124000001',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(2,'20261124000002',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(3,'20261124000003',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(4,'20261124000004',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(5,'20261124000005',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(6,'20261124000006',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(7,'20261124000007',1,'2026-12-07 11:17:52');
INSERT INTO agora_migrations VALUES(8,'20261124000008',1,'2026-12-07 11:17:52');
CREATE TABLE agora_migration_locks ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "table_name" VARCHAR, UNIQUE ("table_name"));
CREATE TABLE IF NOT EXISTS "node_settings" ("key" VARCHAR NOT NULL, "value" VARCHAR NOT NULL, "updated_at" TIMESTAMP NOT NULL, PRIMARY KEY ("key"));
INSERT INTO node_settings VALUES('created_at','2026-12-07T11:17:52Z','2026-12-07 11:17:52.450492+00:00');
CREATE TABLE IF NOT EXISTS "accounts" ("id" VARCHAR NOT NULL, "handle" VARCHAR NOT NULL, "display_name" VARCHAR NOT NULL, "language" VARCHAR NOT NULL, "public" BOOLEAN NOT NULL, "webauthn_id" BLOB NOT NULL, "created_at" TIMESTAMP NOT NULL, "created_by" VARCHAR, "deletion_requested_at" TIMESTAMP, "deleted_at" TIMESTAMP, PRIMARY KEY ("id"), UNIQUE ("handle"), UNIQUE ("webauthn_id"));
INSERT INTO accounts VALUES('qpa6wkl52asljlcmykexpiirx4','demo_admin','Administration (démo)','fr',0,X'3fe9335640b360ab929b575b2d03b184849d89b61d4669f98333eb1e54557681','2026-12-07 11:17:52.750076+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('7ldmjx6zhdpl3cusm6hsmjpnam','voirie','Service de la voirie','fr',0,X'2c06e9d450129900100896b51543ea72949ba95af104cd41a91f253f73e17511','2026-12-07 11:17:52.751773+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('oevv4sgue7kruvwc3a6arfyueu','espaces_verts','Service des espaces verts','fr',0,X'1123e475c9d11eb06dba2ea912d3c0f27abc985690e6ec6399afc0237926227e','2026-12-07 11:17:52.753732+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('uzoofyauv7ohkq5jyyfovloqfq','guichet_vaugirard','Agent d’accueil, mairie','fr',0,X'6fc87cb8bac2e0b410a4734239375e2ce3fc70e6b09845900b55f15090f034ae','2026-12-07 11:17:52.75555+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('mmgstdyfihp4js6g5e4jzgttdu','camille','Camille D.','fr',0,X'34442170a153cd65ab7ab1e2a787357c6816a132b6f8ddc24f7fc85bd2ce3c4e','2026-12-07 11:17:52.757562+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('bcfqvfunxwrpuru5nfzzy7wrye','youssef','Youssef B.','fr',0,X'94b28d227e43e101f810f3b21d87b6737cbc4e8dd9da9a5a44d80520c7edf132','2026-12-07 11:17:52.758813+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('edlixpqxyksts37sn3m5ww5uh4','marie_claire','Marie-Claire L.','fr',0,X'd52fb52cebafc411899a2818589eda8e184b86db91b1378d4df28c6a56f948f4','2026-12-07 11:17:52.760217+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('mjiu7izkyw4wp6egnotabe6lai','thanh','Thanh N.','fr',0,X'dca1907d7bb8425dfd4e8817655d7871c019588d5f1f9dc3ac10ef3c09537f33','2026-12-07 11:17:52.761359+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('ncpb7qavfboph6atsrljtfosem','ines','Inès R.','fr',0,X'd92f14e29ec620cd206181322c0a0960610f3683e55addf283b6d40737ffe712','2026-12-07 11:17:52.762519+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('oa4rjbqayeu62bdfkfjdi2vg5i','bernard','Bernard G.','fr',0,X'c493b41acf3c4182eead2e51ec8733e3043725e4db01e67967bcf120135f9fa0','2026-12-07 11:17:52.763653+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('m7jo4527t73llmcnd7s6nckgju','lea','Léa M.','fr',0,X'83e964d9c65ba97b19260756971f6d196ed6e9da1b66d3825a5ee84f6c726cfa','2026-12-07 11:17:52.764768+00:00','',NULL,NULL);
INSERT INTO accounts VALUES('vkprdaks63tmqtgpzhefbqmou4','jules','Jules P.','fr',0,X'818ed475ef7bb3fbdd9148c8cdc36a3f178a6601cb0129a773c598b9a3120e7c','2026-12-07 11:17:52.765408+00:00','',NULL,NULL);
CREATE TABLE IF NOT EXISTS "account_roles" ("account_id" VARCHAR NOT NULL, "role" VARCHAR NOT NULL, "service" VARCHAR NOT NULL, "granted_at" TIMESTAMP NOT NULL, PRIMARY KEY ("account_id", "role"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
INSERT INTO account_roles VALUES('qpa6wkl52asljlcmykexpiirx4','admin','','2026-12-07 11:17:52.750575+00:00');
INSERT INTO account_roles VALUES('qpa6wkl52asljlcmykexpiirx4','moderator','','2026-12-07 11:17:52.75065+00:00');
INSERT INTO account_roles VALUES('7ldmjx6zhdpl3cusm6hsmjpnam','official','Direction de la voirie et des déplacements','2026-12-07 11:17:52.752082+00:00');
INSERT INTO account_roles VALUES('oevv4sgue7kruvwc3a6arfyueu','official','Direction des espaces verts et de l’environnement','2026-12-07 11:17:52.754024+00:00');
INSERT INTO account_roles VALUES('uzoofyauv7ohkq5jyyfovloqfq','agent','','2026-12-07 11:17:52.755966+00:00');
CREATE TABLE IF NOT EXISTS "passkeys" ("id" BLOB NOT NULL, "account_id" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "public_key" BLOB NOT NULL, "attestation_type" VARCHAR NOT NULL, "aaguid" BLOB, "sign_count" INTEGER NOT NULL, "transports" VARCHAR NOT NULL, "flags" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "last_used_at" TIMESTAMP, PRIMARY KEY ("id"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "sessions" ("token_hash" VARCHAR NOT NULL, "account_id" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "last_seen_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "device" VARCHAR NOT NULL, "via" VARCHAR NOT NULL, PRIMARY KEY ("token_hash"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "webauthn_challenges" ("id" VARCHAR NOT NULL, "browser_hash" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "account_id" VARCHAR, "data" VARCHAR NOT NULL, "expires_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "recovery_codes" ("account_id" VARCHAR NOT NULL, "code_hash" VARCHAR NOT NULL, "used_at" TIMESTAMP, PRIMARY KEY ("account_id", "code_hash"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "one_time_codes" ("code_hash" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "account_id" VARCHAR NOT NULL, "created_by" VARCHAR, "created_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "used_at" TIMESTAMP, PRIMARY KEY ("code_hash"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "residencies" ("account_id" VARCHAR NOT NULL, "method" VARCHAR NOT NULL, "document" VARCHAR NOT NULL, "verifier_id" VARCHAR, "verified_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, "revoked_reason" VARCHAR NOT NULL, PRIMARY KEY ("account_id"), FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
INSERT INTO residencies VALUES('qpa6wkl52asljlcmykexpiirx4','operator','','','2026-12-07 11:17:52.751136+00:00','2028-12-06 11:17:52.751136+00:00',NULL,'');
INSERT INTO residencies VALUES('7ldmjx6zhdpl3cusm6hsmjpnam','operator','','','2026-12-07 11:17:52.752998+00:00','2028-12-06 11:17:52.752998+00:00',NULL,'');
INSERT INTO residencies VALUES('oevv4sgue7kruvwc3a6arfyueu','operator','','','2026-12-07 11:17:52.754834+00:00','2028-12-06 11:17:52.754834+00:00',NULL,'');
INSERT INTO residencies VALUES('uzoofyauv7ohkq5jyyfovloqfq','operator','','','2026-12-07 11:17:52.756843+00:00','2028-12-06 11:17:52.756843+00:00',NULL,'');
INSERT INTO residencies VALUES('mmgstdyfihp4js6g5e4jzgttdu','operator','','','2026-12-07 11:17:52.758307+00:00','2028-12-06 11:17:52.758307+00:00',NULL,'');
INSERT INTO residencies VALUES('bcfqvfunxwrpuru5nfzzy7wrye','operator','','','2026-12-07 11:17:52.759663+00:00','2028-12-06 11:17:52.759663+00:00',NULL,'');
INSERT INTO residencies VALUES('edlixpqxyksts37sn3m5ww5uh4','operator','','','2026-12-07 11:17:52.760852+00:00','2028-12-06 11:17:52.760852+00:00',NULL,'');
INSERT INTO residencies VALUES('mjiu7izkyw4wp6egnotabe6lai','operator','','','2026-12-07 11:17:52.762077+00:00','2028-12-06 11:17:52.762077+00:00',NULL,'');
INSERT INTO residencies VALUES('ncpb7qavfboph6atsrljtfosem','operator','','','2026-12-07 11:17:52.763236+00:00','2028-12-06 11:17:52.763236+00:00',NULL,'');
INSERT INTO residencies VALUES('oa4rjbqayeu62bdfkfjdi2vg5i','operator','','','2026-12-07 11:17:52.764241+00:00','2028-12-06 11:17:52.764241+00:00',NULL,'');
CREATE TABLE IF NOT EXISTS "letter_codes" ("code_hash" VARCHAR NOT NULL, "batch" VARCHAR NOT NULL, "expires_at" TIMESTAMP NOT NULL, "used_at" TIMESTAMP, "used_by" VARCHAR, PRIMARY KEY ("code_hash"));
CREATE TABLE IF NOT EXISTS "census_imports" ("id" VARCHAR NOT NULL, "salt" VARCHAR NOT NULL, "imported_by" VARCHAR, "imported_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "entries" INTEGER NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "census_entries" ("hash" VARCHAR NOT NULL, "import" VARCHAR NOT NULL, "expires_at" TIMESTAMP NOT NULL, "used_by" VARCHAR, "used_at" TIMESTAMP, PRIMARY KEY ("hash"), FOREIGN KEY ("import") REFERENCES "census_imports" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "at" TIMESTAMP NOT NULL, "actor_id" VARCHAR, "action" VARCHAR NOT NULL, "subject_id" VARCHAR, "on_behalf_of" VARCHAR, "desk" VARCHAR NOT NULL, "details" VARCHAR NOT NULL, "reason" VARCHAR NOT NULL);
INSERT INTO audit_log VALUES(1,'2026-12-07 11:17:52.750416+00:00','','account.create','qpa6wkl52asljlcmykexpiirx4','','','opened by the node','');
INSERT INTO audit_log VALUES(2,'2026-12-07 11:17:52.750619+00:00','','role.grant','qpa6wkl52asljlcmykexpiirx4','','','role=admin','at creation');
INSERT INTO audit_log VALUES(3,'2026-12-07 11:17:52.750668+00:00','','role.grant','qpa6wkl52asljlcmykexpiirx4','','','role=moderator','at creation');
INSERT INTO audit_log VALUES(4,'2026-12-07 11:17:52.751311+00:00','','residency.verify','qpa6wkl52asljlcmykexpiirx4','','','method=operator','');
INSERT INTO audit_log VALUES(5,'2026-12-07 11:17:52.751972+00:00','','account.create','7ldmjx6zhdpl3cusm6hsmjpnam','','','opened by the node','');
INSERT INTO audit_log VALUES(6,'2026-12-07 11:17:52.752174+00:00','','role.grant','7ldmjx6zhdpl3cusm6hsmjpnam','','','role=official service=Direction de la voirie et des déplacements','at creation');
INSERT INTO audit_log VALUES(7,'2026-12-07 11:17:52.75319+00:00','','residency.verify','7ldmjx6zhdpl3cusm6hsmjpnam','','','method=operator','');
INSERT INTO audit_log VALUES(8,'2026-12-07 11:17:52.753933+00:00','','account.create','oevv4sgue7kruvwc3a6arfyueu','','','opened by the node','');
INSERT INTO audit_log VALUES(9,'2026-12-07 11:17:52.754052+00:00','','role.grant','oevv4sgue7kruvwc3a6arfyueu','','','role=official service=Direction des espaces verts et de l’environnement','at creation');
INSERT INTO audit_log VALUES(10,'2026-12-07 11:17:52.75502+00:00','','residency.verify','oevv4sgue7kruvwc3a6arfyueu','','','method=operator','');
INSERT INTO audit_log VALUES(11,'2026-12-07 11:17:52.755743+00:00','','account.create','uzoofyauv7ohkq5jyyfovloqfq','','','opened by the node','');
INSERT INTO audit_log VALUES(12,'2026-12-07 11:17:52.755996+00:00','','role.grant','uzoofyauv7ohkq5jyyfovloqfq','','','role=agent','at creation');
INSERT INTO audit_log VALUES(13,'2026-12-07 11:17:52.757001+00:00','','residency.verify','uzoofyauv7ohkq5jyyfovloqfq','','','method=operator','');
INSERT INTO audit_log VALUES(14,'2026-12-07 11:17:52.757724+00:00','','account.create','mmgstdyfihp4js6g5e4jzgttdu','','','opened by the node','');
INSERT INTO audit_log VALUES(15,'2026-12-07 11:17:52.758466+00:00','','residency.verify','mmgstdyfihp4js6g5e4jzgttdu','','','method=operator','');
INSERT INTO audit_log VALUES(16,'2026-12-07 11:17:52.758975+00:00','','account.create','bcfqvfunxwrpuru5nfzzy7wrye','','','opened by the node','');
INSERT INTO audit_log VALUES(17,'2026-12-07 11:17:52.759815+00:00','','residency.verify','bcfqvfunxwrpuru5nfzzy7wrye','','','method=operator','');
INSERT INTO audit_log VALUES(18,'2026-12-07 11:17:52.760357+00:00','','account.create','edlixpqxyksts37sn3m5ww5uh4','','','opened by the node','');
INSERT INTO audit_log VALUES(19,'2026-12-07 11:17:52.760979+00:00','','residency.verify','edlixpqxyksts37sn3m5ww5uh4','','','method=operator','');
INSERT INTO audit_log VALUES(20,'2026-12-07 11:17:52.761565+00:00','','account.create','mjiu7izkyw4wp6egnotabe6lai','','','opened by the node','');
INSERT INTO audit_log VALUES(21,'2026-12-07 11:17:52.762187+00:00','','residency.verify','mjiu7izkyw4wp6egnotabe6lai','','','method=operator','');
INSERT INTO audit_log VALUES(22,'2026-12-07 11:17:52.762672+00:00','','account.create','ncpb7qavfboph6atsrljtfosem','','','opened by the node','');
INSERT INTO audit_log VALUES(23,'2026-12-07 11:17:52.76333+00:00','','residency.verify','ncpb7qavfboph6atsrljtfosem','','','method=operator','');
INSERT INTO audit_log VALUES(24,'2026-12-07 11:17:52.763784+00:00','','account.create','oa4rjbqayeu62bdfkfjdi2vg5i','','','opened by the node','');
INSERT INTO audit_log VALUES(25,'2026-12-07 11:17:52.764394+00:00','','residency.verify','oa4rjbqayeu62bdfkfjdi2vg5i','','','method=operator','');
INSERT INTO audit_log VALUES(26,'2026-12-07 11:17:52.764943+00:00','','account.create','m7jo4527t73llmcnd7s6nckgju','','','opened by the node','');
INSERT INTO audit_log VALUES(27,'2026-12-07 11:17:52.765587+00:00','','account.create','vkprdaks63tmqtgpzhefbqmou4','','','opened by the node','');
CREATE TABLE IF NOT EXISTS "rate_limits" ("key" VARCHAR NOT NULL, "window_start" TIMESTAMP NOT NULL, "count" INTEGER NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE IF NOT EXISTS "spaces" ("id" VARCHAR NOT NULL, "slug" VARCHAR NOT NULL, "title" VARCHAR NOT NULL, "description" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "title_max" INTEGER NOT NULL, "body_max" INTEGER NOT NULL, "support_threshold" INTEGER NOT NULL, "unverified_may_propose" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, "created_by" VARCHAR, PRIMARY KEY ("id"), UNIQUE ("slug"));
INSERT INTO spaces VALUES('ejqsud24gknr72m6f4nkzvumhe','budget-participatif-2027','Budget participatif 2027 du 15e arrondissement',replace('Vous décidez de l’usage de **3 millions d’euros** du budget d’investissement de l’arrondissement.\n\nProposez un projet d’intérêt général (une rue plus verte, un équipement sportif, une boîte à livres…), soutenez ceux qui vous plaisent : à partir de 10 soutiens, les services de la Ville étudient la faisabilité et répondent publiquement. Les projets retenus sont ensuite soumis au vote.\n\nPas d’ordinateur ? Déposez votre projet au guichet de la mairie, 31 rue Péclet.','\n',char(10)),'process',100,700,10,0,'2026-12-07 11:17:52.766012+00:00','2026-12-07 11:17:52.766012+00:00','');
INSERT INTO spaces VALUES('ji7qay6gjge6oavq4hk3xlv43m','conseil-quartier-necker','Conseil de quartier Necker – Pasteur','Le conseil de quartier réunit les habitantes et habitants du quartier Necker – Pasteur. Il se réunit une fois par trimestre ; ses questions et ses débats sont ouverts à toutes et tous ici.','council',100,700,0,1,'2026-12-07 11:17:52.766547+00:00','2026-12-07 11:17:52.766547+00:00','');
CREATE TABLE IF NOT EXISTS "space_phases" ("space_id" VARCHAR NOT NULL, "position" INTEGER NOT NULL, "kind" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "starts_at" TIMESTAMP NOT NULL, "ends_at" TIMESTAMP NOT NULL, PRIMARY KEY ("space_id", "position"), FOREIGN KEY ("space_id") REFERENCES "spaces" ("id") ON DELETE CASCADE);
INSERT INTO space_phases VALUES('ejqsud24gknr72m6f4nkzvumhe',0,'information','Ateliers de quartier','2026-10-28 11:17:52.749629+00:00','2026-11-17 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ejqsud24gknr72m6f4nkzvumhe',1,'proposals','Dépôt et soutien des projets','2026-11-17 11:17:52.749629+00:00','2027-01-01 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ejqsud24gknr72m6f4nkzvumhe',2,'evaluation','Étude par les services','2027-01-01 11:17:52.749629+00:00','2027-02-15 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ejqsud24gknr72m6f4nkzvumhe',3,'vote','Vote','2027-02-15 11:17:52.749629+00:00','2027-03-02 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ejqsud24gknr72m6f4nkzvumhe',4,'implementation','Réalisation','2027-03-02 11:17:52.749629+00:00','2028-03-01 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ji7qay6gjge6oavq4hk3xlv43m',0,'proposals','Questions pour la séance de janvier','2026-11-27 11:17:52.749629+00:00','2027-01-26 11:17:52.749629+00:00');
INSERT INTO space_phases VALUES('ji7qay6gjge6oavq4hk3xlv43m',1,'debate','Séance et débats','2027-01-26 11:17:52.749629+00:00','2027-02-25 11:17:52.749629+00:00');
CREATE TABLE IF NOT EXISTS "space_categories" ("space_id" VARCHAR NOT NULL, "slug" VARCHAR NOT NULL, "name_fr" VARCHAR NOT NULL, "name_en" VARCHAR NOT NULL, "position" INTEGER NOT NULL, PRIMARY KEY ("space_id", "slug"), FOREIGN KEY ("space_id") REFERENCES "spaces" ("id") ON DELETE CASCADE);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','espaces-verts','Espaces verts','Green spaces',0);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','mobilite','Mobilité','Getting around',1);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','proprete','Propreté','Cleanliness',2);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','culture','Culture et patrimoine','Culture and heritage',3);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','education','Éducation et jeunesse','Education and youth',4);
INSERT INTO space_categories VALUES('ejqsud24gknr72m6f4nkzvumhe','solidarite','Solidarité','Solidarity',5);
INSERT INTO space_categories VALUES('ji7qay6gjge6oavq4hk3xlv43m','espaces-verts','Espaces verts','Green spaces',0);
INSERT INTO space_categories VALUES('ji7qay6gjge6oavq4hk3xlv43m','mobilite','Mobilité','Getting around',1);
INSERT INTO space_categories VALUES('ji7qay6gjge6oavq4hk3xlv43m','proprete','Propreté','Cleanliness',2);
CREATE TABLE IF NOT EXISTS "proposals" ("id" VARCHAR NOT NULL, "space_id" VARCHAR NOT NULL, "author_id" VARCHAR NOT NULL, "entered_by" VARCHAR, "desk" VARCHAR NOT NULL, "title" VARCHAR NOT NULL, "body" VARCHAR NOT NULL, "body_html" VARCHAR NOT NULL, "category" VARCHAR NOT NULL, "address" VARCHAR NOT NULL, "lat" DOUBLE PRECISION, "lon" DOUBLE PRECISION, "state" VARCHAR NOT NULL, "support_count" INTEGER NOT NULL, "comment_count" INTEGER NOT NULL, "rand_key" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, "edited_at" TIMESTAMP, "hidden_at" TIMESTAMP, "hidden_reason" VARCHAR NOT NULL, "merged_into" VARCHAR, PRIMARY KEY ("id"), FOREIGN KEY ("space_id") REFERENCES "spaces" ("id"), FOREIGN KEY ("author_id") REFERENCES "accounts" ("id"));
INSERT INTO proposals VALUES('i7k3ssh52qezh7krciso7dclmu','ejqsud24gknr72m6f4nkzvumhe','mmgstdyfihp4js6g5e4jzgttdu','','','Planter des arbres rue de Vaugirard','La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.','<p>La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.</p>','espaces-verts','Rue de Vaugirard, entre les n° 280 et 320',NULL,NULL,'accepted',5,2,2048800861,'2026-12-07 11:17:52.767285+00:00','2026-12-07 11:17:52.779625+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('ccvbcyqcsunsbtxf3vnenzeqmi','ejqsud24gknr72m6f4nkzvumhe','bcfqvfunxwrpuru5nfzzy7wrye','','','Des arceaux vélos place Charles-Michels','Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.','<p>Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.</p>','mobilite','Place Charles-Michels',NULL,NULL,'study',2,0,1557692242,'2026-12-07 11:17:52.784927+00:00','2026-12-07 11:17:52.791301+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('tcgbcg6bkryyoiizk5zhjng7fu','ejqsud24gknr72m6f4nkzvumhe','edlixpqxyksts37sn3m5ww5uh4','','','Une boîte à livres dans chaque square','Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.','<p>Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.</p>','culture','',NULL,NULL,'published',4,1,1669415021,'2026-12-07 11:17:52.79197+00:00','2026-12-07 11:17:52.79197+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','ejqsud24gknr72m6f4nkzvumhe','mjiu7izkyw4wp6egnotabe6lai','','','Cour oasis pour l’école de la rue Blomet','Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.','<p>Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.</p>','education','',NULL,NULL,'review',6,0,130304839,'2026-12-07 11:17:52.797919+00:00','2026-12-07 11:17:52.806708+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('ytvm6dwcragpmxty4jinixnlyy','ejqsud24gknr72m6f4nkzvumhe','ncpb7qavfboph6atsrljtfosem','','','Des toilettes publiques gratuites près du marché Grenelle','Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.','<p>Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.</p>','proprete','',NULL,NULL,'rejected',1,0,937337265,'2026-12-07 11:17:52.80711+00:00','2026-12-07 11:17:52.808824+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('d5zxcl4bfn6v7hmb4nt5pbaxay','ejqsud24gknr72m6f4nkzvumhe','oa4rjbqayeu62bdfkfjdi2vg5i','','','Un frigo solidaire à la maison des associations','Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.','<p>Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.</p>','solidarite','',NULL,NULL,'published',1,0,961312383,'2026-12-07 11:17:52.809314+00:00','2026-12-07 11:17:52.809314+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('ngko6aqmmhsuy46azgyzam5au4','ejqsud24gknr72m6f4nkzvumhe','bcfqvfunxwrpuru5nfzzy7wrye','','','Ralentir la circulation devant le collège Guillaume-Apollinaire','Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.','<p>Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.</p>','mobilite','',NULL,NULL,'published',0,0,764080879,'2026-12-07 11:17:52.810675+00:00','2026-12-07 11:17:52.810675+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('nn3amv6475nf2guyinyeu7tlr4','ejqsud24gknr72m6f4nkzvumhe','mmgstdyfihp4js6g5e4jzgttdu','','','Végétaliser les murs pignons rue Lecourbe','Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.','<p>Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.</p>','espaces-verts','',NULL,NULL,'withdrawn',0,0,313289034,'2026-12-07 11:17:52.811505+00:00','2026-12-07 11:17:52.81259+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('vasubdktisl64hgtlsamqklope','ji7qay6gjge6oavq4hk3xlv43m','m7jo4527t73llmcnd7s6nckgju','','','Quand le dépôt sauvage rue Mademoiselle sera-t-il traité ?','Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?','<p>Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?</p>','proprete','',NULL,NULL,'published',0,1,772356422,'2026-12-07 11:17:52.813225+00:00','2026-12-07 11:17:52.813225+00:00',NULL,NULL,'','');
INSERT INTO proposals VALUES('65x4bfs76txb7mjzbfrdfmsvay','ji7qay6gjge6oavq4hk3xlv43m','oa4rjbqayeu62bdfkfjdi2vg5i','','','Rétablir l’arrêt de bus Pasteur – Docteur-Roux','Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.','<p>Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.</p>','mobilite','',NULL,NULL,'published',0,0,1372771212,'2026-12-07 11:17:52.814981+00:00','2026-12-07 11:17:52.814981+00:00',NULL,NULL,'','');
CREATE TABLE IF NOT EXISTS "proposal_supports" ("proposal_id" VARCHAR NOT NULL, "account_id" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "entered_by" VARCHAR, "desk" VARCHAR NOT NULL, PRIMARY KEY ("proposal_id", "account_id"), FOREIGN KEY ("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE, FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
INSERT INTO proposal_supports VALUES('i7k3ssh52qezh7krciso7dclmu','bcfqvfunxwrpuru5nfzzy7wrye','2026-12-07 11:17:52.769426+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('i7k3ssh52qezh7krciso7dclmu','edlixpqxyksts37sn3m5ww5uh4','2026-12-07 11:17:52.77036+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('i7k3ssh52qezh7krciso7dclmu','mjiu7izkyw4wp6egnotabe6lai','2026-12-07 11:17:52.771239+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('i7k3ssh52qezh7krciso7dclmu','ncpb7qavfboph6atsrljtfosem','2026-12-07 11:17:52.77303+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('i7k3ssh52qezh7krciso7dclmu','oa4rjbqayeu62bdfkfjdi2vg5i','2026-12-07 11:17:52.77671+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('ccvbcyqcsunsbtxf3vnenzeqmi','mmgstdyfihp4js6g5e4jzgttdu','2026-12-07 11:17:52.789595+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('ccvbcyqcsunsbtxf3vnenzeqmi','mjiu7izkyw4wp6egnotabe6lai','2026-12-07 11:17:52.790396+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('tcgbcg6bkryyoiizk5zhjng7fu','mmgstdyfihp4js6g5e4jzgttdu','2026-12-07 11:17:52.793332+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('tcgbcg6bkryyoiizk5zhjng7fu','ncpb7qavfboph6atsrljtfosem','2026-12-07 11:17:52.794052+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('tcgbcg6bkryyoiizk5zhjng7fu','oa4rjbqayeu62bdfkfjdi2vg5i','2026-12-07 11:17:52.795977+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('tcgbcg6bkryyoiizk5zhjng7fu','bcfqvfunxwrpuru5nfzzy7wrye','2026-12-07 11:17:52.796664+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','mmgstdyfihp4js6g5e4jzgttdu','2026-12-07 11:17:52.802043+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','bcfqvfunxwrpuru5nfzzy7wrye','2026-12-07 11:17:52.802835+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','edlixpqxyksts37sn3m5ww5uh4','2026-12-07 11:17:52.80352+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','ncpb7qavfboph6atsrljtfosem','2026-12-07 11:17:52.804288+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','oa4rjbqayeu62bdfkfjdi2vg5i','2026-12-07 11:17:52.805124+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('dpfw6t7qoxbhpvzez3ae2bvaka','mjiu7izkyw4wp6egnotabe6lai','2026-12-07 11:17:52.805914+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('ytvm6dwcragpmxty4jinixnlyy','oa4rjbqayeu62bdfkfjdi2vg5i','2026-12-07 11:17:52.808259+00:00',NULL,'');
INSERT INTO proposal_supports VALUES('d5zxcl4bfn6v7hmb4nt5pbaxay','edlixpqxyksts37sn3m5ww5uh4','2026-12-07 11:17:52.810406+00:00',NULL,'');
CREATE TABLE IF NOT EXISTS "proposal_events" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "proposal_id" VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, "actor_id" VARCHAR, "kind" VARCHAR NOT NULL, "from_state" VARCHAR NOT NULL, "to_state" VARCHAR NOT NULL, "answer" VARCHAR NOT NULL, "answer_html" VARCHAR NOT NULL, "service" VARCHAR NOT NULL, "reason" VARCHAR NOT NULL, FOREIGN KEY ("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE);
INSERT INTO proposal_events VALUES(1,'i7k3ssh52qezh7krciso7dclmu','2026-12-07 11:17:52.768337+00:00','mmgstdyfihp4js6g5e4jzgttdu','published','','published','','','','');
INSERT INTO proposal_events VALUES(2,'i7k3ssh52qezh7krciso7dclmu','2026-12-07 11:17:52.7824+00:00','oevv4sgue7kruvwc3a6arfyueu','answer','published','accepted','Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.','<p>Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.</p>','Direction des espaces verts et de l’environnement','');
INSERT INTO proposal_events VALUES(3,'ccvbcyqcsunsbtxf3vnenzeqmi','2026-12-07 11:17:52.78521+00:00','bcfqvfunxwrpuru5nfzzy7wrye','published','','published','','','','');
INSERT INTO proposal_events VALUES(4,'ccvbcyqcsunsbtxf3vnenzeqmi','2026-12-07 11:17:52.791447+00:00','7ldmjx6zhdpl3cusm6hsmjpnam','answer','published','study','Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars.','<p>Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars.</p>','Direction de la voirie et des déplacements','');
INSERT INTO proposal_events VALUES(5,'tcgbcg6bkryyoiizk5zhjng7fu','2026-12-07 11:17:52.792414+00:00','edlixpqxyksts37sn3m5ww5uh4','published','','published','','','','');
INSERT INTO proposal_events VALUES(6,'dpfw6t7qoxbhpvzez3ae2bvaka','2026-12-07 11:17:52.798371+00:00','mjiu7izkyw4wp6egnotabe6lai','published','','published','','','','');
INSERT INTO proposal_events VALUES(7,'dpfw6t7qoxbhpvzez3ae2bvaka','2026-12-07 11:17:52.806852+00:00','oevv4sgue7kruvwc3a6arfyueu','answer','published','review','Le projet a franchi le seuil de soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain.','<p>Le projet a franchi le seuil de soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain.</p>','Direction des espaces verts et de l’environnement','');
INSERT INTO proposal_events VALUES(8,'ytvm6dwcragpmxty4jinixnlyy','2026-12-07 11:17:52.80755+00:00','ncpb7qavfboph6atsrljtfosem','published','','published','','','','');
INSERT INTO proposal_events VALUES(9,'ytvm6dwcragpmxty4jinixnlyy','2026-12-07 11:17:52.808952+00:00','7ldmjx6zhdpl3cusm6hsmjpnam','answer','published','rejected','Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif.','<p>Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif.</p>','Direction de la voirie et des déplacements','');
INSERT INTO proposal_events VALUES(10,'d5zxcl4bfn6v7hmb4nt5pbaxay','2026-12-07 11:17:52.809731+00:00','oa4rjbqayeu62bdfkfjdi2vg5i','published','','published','','','','');
INSERT INTO proposal_events VALUES(11,'ngko6aqmmhsuy46azgyzam5au4','2026-12-07 11:17:52.811014+00:00','bcfqvfunxwrpuru5nfzzy7wrye','published','','published','','','','');
INSERT INTO proposal_events VALUES(12,'nn3amv6475nf2guyinyeu7tlr4','2026-12-07 11:17:52.811947+00:00','mmgstdyfihp4js6g5e4jzgttdu','published','','published','','','','');
INSERT INTO proposal_events VALUES(13,'nn3amv6475nf2guyinyeu7tlr4','2026-12-07 11:17:52.812676+00:00','mmgstdyfihp4js6g5e4jzgttdu','withdrawn','published','withdrawn','','','','');
INSERT INTO proposal_events VALUES(14,'vasubdktisl64hgtlsamqklope','2026-12-07 11:17:52.813554+00:00','m7jo4527t73llmcnd7s6nckgju','published','','published','','','','');
INSERT INTO proposal_events VALUES(15,'65x4bfs76txb7mjzbfrdfmsvay','2026-12-07 11:17:52.815307+00:00','oa4rjbqayeu62bdfkfjdi2vg5i','published','','published','','','','');
CREATE TABLE IF NOT EXISTS "proposal_attachments" ("proposal_id" VARCHAR NOT NULL, "position" INTEGER NOT NULL, "blob_key" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "content_type" VARCHAR NOT NULL, "size" INTEGER NOT NULL, PRIMARY KEY ("proposal_id", "position"), FOREIGN KEY ("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "debates" ("id" VARCHAR NOT NULL, "space_id" VARCHAR NOT NULL, "author_id" VARCHAR NOT NULL, "question" VARCHAR NOT NULL, "description" VARCHAR NOT NULL, "description_html" VARCHAR NOT NULL, "state" VARCHAR NOT NULL, "conclusion" VARCHAR NOT NULL, "conclusion_html" VARCHAR NOT NULL, "comment_count" INTEGER NOT NULL, "entered_by" VARCHAR, "desk" VARCHAR NOT NULL DEFAULT '', "created_at" TIMESTAMP NOT NULL, "edited_at" TIMESTAMP, "closed_at" TIMESTAMP, "hidden_at" TIMESTAMP, "hidden_reason" VARCHAR NOT NULL, PRIMARY KEY ("id"), FOREIGN KEY ("space_id") REFERENCES "spaces" ("id"), FOREIGN KEY ("author_id") REFERENCES "accounts" ("id"));
INSERT INTO debates VALUES('4jmd5wpztnbhqgy7hn6wsom47y','ji7qay6gjge6oavq4hk3xlv43m','edlixpqxyksts37sn3m5ww5uh4','Faut-il rendre la rue du Commerce piétonne le dimanche ?','Les commerçants sont partagés, les familles plutôt favorables. Le conseil de quartier rendra un avis à la mairie après ce débat.','<p>Les commerçants sont partagés, les familles plutôt favorables. Le conseil de quartier rendra un avis à la mairie après ce débat.</p>','open','','',3,NULL,'','2026-12-07 11:17:52.815876+00:00',NULL,NULL,NULL,'');
CREATE TABLE IF NOT EXISTS "comments" ("id" VARCHAR NOT NULL, "target_kind" VARCHAR NOT NULL, "target_id" VARCHAR NOT NULL, "parent_id" VARCHAR, "depth" INTEGER NOT NULL, "author_id" VARCHAR, "remote_actor" VARCHAR, "remote_name" VARCHAR NOT NULL, "remote_url" VARCHAR NOT NULL, "ap_id" VARCHAR, "entered_by" VARCHAR, "desk" VARCHAR NOT NULL, "body" VARCHAR NOT NULL, "body_html" VARCHAR NOT NULL, "alignment" VARCHAR NOT NULL, "support_count" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "edited_at" TIMESTAMP, "deleted_at" TIMESTAMP, "hidden_at" TIMESTAMP, "hidden_reason" VARCHAR NOT NULL, PRIMARY KEY ("id"), UNIQUE ("ap_id"));
INSERT INTO comments VALUES('4i2qm6tr75h6p36cwijqewr6dy','proposal','i7k3ssh52qezh7krciso7dclmu',NULL,0,'ncpb7qavfboph6atsrljtfosem',NULL,'','',NULL,NULL,'','Excellente idée, l’été la rue est une fournaise.','<p>Excellente idée, l’été la rue est une fournaise.</p>','',0,'2026-12-07 11:17:52.783427+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('zjbbpk34swoip6eidsq45mwaxi','proposal','i7k3ssh52qezh7krciso7dclmu','4i2qm6tr75h6p36cwijqewr6dy',1,'oa4rjbqayeu62bdfkfjdi2vg5i',NULL,'','',NULL,NULL,'','Attention aux places de livraison devant les commerces.','<p>Attention aux places de livraison devant les commerces.</p>','',0,'2026-12-07 11:17:52.784515+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('hqg35fi6agbjma4uc5l42tj64q','proposal','tcgbcg6bkryyoiizk5zhjng7fu',NULL,0,'ncpb7qavfboph6atsrljtfosem',NULL,'','',NULL,NULL,'','Le square Violet en a déjà une, mais elle est souvent vide !','<p>Le square Violet en a déjà une, mais elle est souvent vide !</p>','',0,'2026-12-07 11:17:52.79707+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('xajj2ntbcct7ijp764caeqwlpu','proposal','vasubdktisl64hgtlsamqklope',NULL,0,'ncpb7qavfboph6atsrljtfosem',NULL,'','',NULL,NULL,'','Même constat rue Cambronne.','<p>Même constat rue Cambronne.</p>','',0,'2026-12-07 11:17:52.814189+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('fmtfwx6ophwjnmlawuwk22vj2a','debate','4jmd5wpztnbhqgy7hn6wsom47y',NULL,0,'mmgstdyfihp4js6g5e4jzgttdu',NULL,'','',NULL,NULL,'','Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.','<p>Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.</p>','for',0,'2026-12-07 11:17:52.816708+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('6366dwo7bcb23burhaa3cn73i4','debate','4jmd5wpztnbhqgy7hn6wsom47y',NULL,0,'oa4rjbqayeu62bdfkfjdi2vg5i',NULL,'','',NULL,NULL,'','Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.','<p>Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.</p>','against',0,'2026-12-07 11:17:52.817489+00:00',NULL,NULL,NULL,'');
INSERT INTO comments VALUES('i3gl4mldu47xynymgy756afme4','debate','4jmd5wpztnbhqgy7hn6wsom47y',NULL,0,'mjiu7izkyw4wp6egnotabe6lai',NULL,'','',NULL,NULL,'','Un essai de trois mois permettrait de mesurer l’effet avant de décider.','<p>Un essai de trois mois permettrait de mesurer l’effet avant de décider.</p>','neutral',0,'2026-12-07 11:17:52.818198+00:00',NULL,NULL,NULL,'');
CREATE TABLE IF NOT EXISTS "comment_versions" ("comment_id" VARCHAR NOT NULL, "version" INTEGER NOT NULL, "body" VARCHAR NOT NULL, "edited_at" TIMESTAMP NOT NULL, "edited_by" VARCHAR, PRIMARY KEY ("comment_id", "version"), FOREIGN KEY ("comment_id") REFERENCES "comments" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "comment_supports" ("comment_id" VARCHAR NOT NULL, "account_id" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "entered_by" VARCHAR, "desk" VARCHAR NOT NULL DEFAULT '', PRIMARY KEY ("comment_id", "account_id"), FOREIGN KEY ("comment_id") REFERENCES "comments" ("id") ON DELETE CASCADE, FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "reports" ("id" VARCHAR NOT NULL, "target_kind" VARCHAR NOT NULL, "target_id" VARCHAR NOT NULL, "reporter_id" VARCHAR, "remote_actor" VARCHAR, "reason" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "resolved_at" TIMESTAMP, "resolution" VARCHAR NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "moderation_log" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "at" TIMESTAMP NOT NULL, "moderator_id" VARCHAR, "action" VARCHAR NOT NULL, "target_kind" VARCHAR NOT NULL, "target_id" VARCHAR NOT NULL, "space_id" VARCHAR NOT NULL, "reason" VARCHAR NOT NULL, "details" VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS "outbox_events" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "at" TIMESTAMP NOT NULL, "kind" VARCHAR NOT NULL, "object_type" VARCHAR NOT NULL, "object_id" VARCHAR NOT NULL, "actor_id" VARCHAR);
INSERT INTO outbox_events VALUES(1,'2026-12-07 11:17:52.767285+00:00','create','proposal','i7k3ssh52qezh7krciso7dclmu','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(2,'2026-12-07 11:17:52.769632+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','bcfqvfunxwrpuru5nfzzy7wrye');
INSERT INTO outbox_events VALUES(3,'2026-12-07 11:17:52.770474+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','edlixpqxyksts37sn3m5ww5uh4');
INSERT INTO outbox_events VALUES(4,'2026-12-07 11:17:52.771362+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','mjiu7izkyw4wp6egnotabe6lai');
INSERT INTO outbox_events VALUES(5,'2026-12-07 11:17:52.773114+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(6,'2026-12-07 11:17:52.777169+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(7,'2026-12-07 11:17:52.779625+00:00','update','proposal','i7k3ssh52qezh7krciso7dclmu','oevv4sgue7kruvwc3a6arfyueu');
INSERT INTO outbox_events VALUES(8,'2026-12-07 11:17:52.78425+00:00','create','comment','4i2qm6tr75h6p36cwijqewr6dy','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(9,'2026-12-07 11:17:52.784743+00:00','create','comment','zjbbpk34swoip6eidsq45mwaxi','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(10,'2026-12-07 11:17:52.784927+00:00','create','proposal','ccvbcyqcsunsbtxf3vnenzeqmi','bcfqvfunxwrpuru5nfzzy7wrye');
INSERT INTO outbox_events VALUES(11,'2026-12-07 11:17:52.78974+00:00','update','proposal','ccvbcyqcsunsbtxf3vnenzeqmi','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(12,'2026-12-07 11:17:52.7905+00:00','update','proposal','ccvbcyqcsunsbtxf3vnenzeqmi','mjiu7izkyw4wp6egnotabe6lai');
INSERT INTO outbox_events VALUES(13,'2026-12-07 11:17:52.791301+00:00','update','proposal','ccvbcyqcsunsbtxf3vnenzeqmi','7ldmjx6zhdpl3cusm6hsmjpnam');
INSERT INTO outbox_events VALUES(14,'2026-12-07 11:17:52.79197+00:00','create','proposal','tcgbcg6bkryyoiizk5zhjng7fu','edlixpqxyksts37sn3m5ww5uh4');
INSERT INTO outbox_events VALUES(15,'2026-12-07 11:17:52.793509+00:00','update','proposal','tcgbcg6bkryyoiizk5zhjng7fu','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(16,'2026-12-07 11:17:52.794174+00:00','update','proposal','tcgbcg6bkryyoiizk5zhjng7fu','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(17,'2026-12-07 11:17:52.79611+00:00','update','proposal','tcgbcg6bkryyoiizk5zhjng7fu','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(18,'2026-12-07 11:17:52.796769+00:00','update','proposal','tcgbcg6bkryyoiizk5zhjng7fu','bcfqvfunxwrpuru5nfzzy7wrye');
INSERT INTO outbox_events VALUES(19,'2026-12-07 11:17:52.797629+00:00','create','comment','hqg35fi6agbjma4uc5l42tj64q','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(20,'2026-12-07 11:17:52.797919+00:00','create','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','mjiu7izkyw4wp6egnotabe6lai');
INSERT INTO outbox_events VALUES(21,'2026-12-07 11:17:52.802237+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(22,'2026-12-07 11:17:52.802959+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','bcfqvfunxwrpuru5nfzzy7wrye');
INSERT INTO outbox_events VALUES(23,'2026-12-07 11:17:52.80361+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','edlixpqxyksts37sn3m5ww5uh4');
INSERT INTO outbox_events VALUES(24,'2026-12-07 11:17:52.804391+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(25,'2026-12-07 11:17:52.805206+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(26,'2026-12-07 11:17:52.80602+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','mjiu7izkyw4wp6egnotabe6lai');
INSERT INTO outbox_events VALUES(27,'2026-12-07 11:17:52.806708+00:00','update','proposal','dpfw6t7qoxbhpvzez3ae2bvaka','oevv4sgue7kruvwc3a6arfyueu');
INSERT INTO outbox_events VALUES(28,'2026-12-07 11:17:52.80711+00:00','create','proposal','ytvm6dwcragpmxty4jinixnlyy','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(29,'2026-12-07 11:17:52.808356+00:00','update','proposal','ytvm6dwcragpmxty4jinixnlyy','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(30,'2026-12-07 11:17:52.808824+00:00','update','proposal','ytvm6dwcragpmxty4jinixnlyy','7ldmjx6zhdpl3cusm6hsmjpnam');
INSERT INTO outbox_events VALUES(31,'2026-12-07 11:17:52.809314+00:00','create','proposal','d5zxcl4bfn6v7hmb4nt5pbaxay','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(32,'2026-12-07 11:17:52.810498+00:00','update','proposal','d5zxcl4bfn6v7hmb4nt5pbaxay','edlixpqxyksts37sn3m5ww5uh4');
INSERT INTO outbox_events VALUES(33,'2026-12-07 11:17:52.810675+00:00','create','proposal','ngko6aqmmhsuy46azgyzam5au4','bcfqvfunxwrpuru5nfzzy7wrye');
INSERT INTO outbox_events VALUES(34,'2026-12-07 11:17:52.811505+00:00','create','proposal','nn3amv6475nf2guyinyeu7tlr4','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(35,'2026-12-07 11:17:52.81259+00:00','update','proposal','nn3amv6475nf2guyinyeu7tlr4','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(36,'2026-12-07 11:17:52.813225+00:00','create','proposal','vasubdktisl64hgtlsamqklope','m7jo4527t73llmcnd7s6nckgju');
INSERT INTO outbox_events VALUES(37,'2026-12-07 11:17:52.814701+00:00','create','comment','xajj2ntbcct7ijp764caeqwlpu','ncpb7qavfboph6atsrljtfosem');
INSERT INTO outbox_events VALUES(38,'2026-12-07 11:17:52.814981+00:00','create','proposal','65x4bfs76txb7mjzbfrdfmsvay','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(39,'2026-12-07 11:17:52.816467+00:00','create','debate','4jmd5wpztnbhqgy7hn6wsom47y','edlixpqxyksts37sn3m5ww5uh4');
INSERT INTO outbox_events VALUES(40,'2026-12-07 11:17:52.817119+00:00','create','comment','fmtfwx6ophwjnmlawuwk22vj2a','mmgstdyfihp4js6g5e4jzgttdu');
INSERT INTO outbox_events VALUES(41,'2026-12-07 11:17:52.817953+00:00','create','comment','6366dwo7bcb23burhaa3cn73i4','oa4rjbqayeu62bdfkfjdi2vg5i');
INSERT INTO outbox_events VALUES(42,'2026-12-07 11:17:52.818483+00:00','create','comment','i3gl4mldu47xynymgy756afme4','mjiu7izkyw4wp6egnotabe6lai');
INSERT INTO outbox_events VALUES(43,'2026-12-07 11:17:53.104721+00:00','create','app','q5awpqt46gm5lf4euiayhp42ly',NULL);
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','proposals_fts','proposals_fts',0,'CREATE VIRTUAL TABLE proposals_fts USING fts5(id UNINDEXED, title, body, tokenize=''porter unicode61 remove_diacritics 2'')');
CREATE TABLE IF NOT EXISTS 'proposals_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO proposals_fts_data VALUES(1,X'0a004c814c');
INSERT INTO proposals_fts_data VALUES(10,X'00000000010a0a000a0101010201010301010401010501010601010701010801010901010a0101');
INSERT INTO proposals_fts_data VALUES(137438953473,X'00000170073061646f6c7068010601020c02046c69676e010601021d0203726272010e01010401021b090203766563010601021e010863686572696f7578010601020d010164010c0102150704070201650112010103050102040f100104656e7472010601020905056574656e750106010224020273740106010206020174010601020e01026a65010601021301026c61010a0102020a07020165010601022601076d696e6572616c010601020801037061720106010225020169010601022002046c616365010601020b04046e746572010c01010201021702036f727401060102100205726f706f7301060102140108726976657261696e010601022702027565010c010105010203010374726501060102070102756e01060102180109766175676972617264010c010107010205020865676574616c697301060102230305727361696c01060102120207696e677461696e010601021902086f6c6f6e7461697201060102280101790106010216040d0b0e0a0f0b0e0b0c0908090b080e0a080b0e0a0c0f0c0a09130f0c0e0f');
INSERT INTO proposals_fts_data VALUES(274877906945,X'000000f403303430020601020a010761726365617578020c01010301020b0105636861726c020601010602036f7465020601021001026465020c01010201020402017502060102080102696c020601020201026c65020601020d0204696e6f69020601021201056d616e7175020601020302046574726f02060102090205696368656c020601010701046e6f7264020601020f0105706c616365020601010502027265020601020701037275650206010211010873746174696f6e6e02060102050207756666697261690206010213030172020601020c010874726f74746f6972020601020e010476656c6f020c0101040102060409110c0a0c0809090b0c0b0c0b0c090a0f0e080f');
INSERT INTO proposals_fts_data VALUES(412316860417,X'000000e3023061030c0101040102040104626f6974030c01010301020301086368616e74696572030601021104027175030601010701016403060102120202616e030c010106010206020165030601020201026574030601020c01086661627269717565030601020e0106696e73657274030601021301076c616d62657274030601020a02016503060102070203697672030c01010501020501066e65636b6572030601020d0103706172030601020f01057361696e740306010209020471756172030c0101080102080102756e030c010102010210010676696f6c6574030601020b040b0e0f09080c08090f0d0e080d0d0a0c0e0c');
INSERT INTO proposals_fts_data VALUES(549755813889,X'0000010a043061757804060102100106626c6f6d6574040601010a010463616c6d040601020e02036f696e040601020d03027572040e01010201020405010264650406010107010465636f6c040601010602016e0406010206010566616d696c040601021102066f6e7461696e040601020c0109676f7564726f6e6e65040601020501016c0406010105020161040c010108010203020165040601021201046f617369040c01010301020802036d6272040601020b02057576657274040601020f01087065726d6561626c040601020a02036f7572040601010401037275650406010109010673616d656469040601021302026f6c040601020901097472616e73666f726d0406010202040a0d0b0a0d090b080c0d10080b080e0a0c0f0a0a0d09');
INSERT INTO proposals_fts_data VALUES(687194767361,X'0000011c0430363030050601021001016105080102090602056363657373050801020c0a02047563756e050601020a030178050601021501086269656e76656e75050601021801026465050e0101020102040d02017505060101070108666175746575696c050601021601076772617475697405060101050304656e656c05060101090102696c050601020601046a6f7572050601020301026c65050601020201016d0506010211020461726368050c01010801020502036f696e050601020e01016e050601020701037072650506010106020675626c6971750506010104010873616e697365747405060102130205657261697405060102170107746f696c657474050c01010301020b0102756e05060102120101790506010208040a090d0b080f0d080f0e0b090b09080e0a080a0d0f0c1109');
INSERT INTO proposals_fts_data VALUES(824633720833,X'000001060230610606010105020573736f6369060c0101090102120107636f6d6d65726306060102060102646506060101080303706f7306060102090201750606010213010265740608010207070105667269676f0606010103010467657265060601020f0105686162697406060102080107696e76656e6475060601020b01026c610606010106020165060801020a0501066d6169736f6e060601010701026f7506060102050103706172060601021004037461670606010204010871756172746965720606010214010d7265667269676572617465757206060102030108736f6c6964616972060601010402057572706c75060601020e0102756e060e0101020102021104080f0e090a080a0c0b0c0e09090d090a0a0f140f0c');
INSERT INTO proposals_fts_data VALUES(962072674305,X'00000111023061070801020f060209706f6c6c696e616972070601010901086265726c696e6f690706010204010663697263756c070601010402056f6c6c656707060101070305757373696e07060102030102646507080102020d030476616e7407060101050104656c6576070601020e02046e747265070601021102017407080102050f01086775696c6c61756d070601010801016c0706010210020161070e01010301020b0b02016507060101060106706173736167070601020702056965746f6e070601020802036f7572070601020a010872616c656e7469720706010102010773656375726974070601020c02046f727469070601021502067572656c657607060102090102756e07060102060409100f0d0c0c0a0b0b0b090f080c080d0c0a0f0e0b0d');
INSERT INTO proposals_fts_data VALUES(1099511627777,X'000000d507306163636f7264080601020c04077565696c6c697208060102060203766563080601020a040375676c0806010204010a636f70726f7072696574080601020e0102646508080102070801086772696d70616e74080601020901016c080601020b02016508060101030305636f757262080601010701036d7572080c01010401020301067069676e6f6e080601010502046c616e7408060102080306757369657572080601020202096f7572726169656e7408060102050103727565080601010601097665676574616c69730806010102040d0e0a0a110a0f08080c0d0d0b0d100a');
INSERT INTO proposals_fts_data VALUES(1236950581249,X'000001290830616363756d756c09060102050201750906010208010663616d657261090601021302046861717509060102060102646509060102020303706f7409060101040107656e636f6d62720906010203030564726f6974090601020a0102696c090601010a01026c650906010103010a6d6164656d6f6973656c09060101070203656d65090601020901026f6e090601020c02017509060102110106706173736167090601020f0203657574090601020b02067265766f6972090601020d01057175616e6409060101020106726567756c69090601021002027565090601010601017309060102040205617576616709060101050205656d61696e09060102070302726109060101080101740906010109020472616974090601010b0102756e090801020e06040e080d0b090a0e0c0909110a09080d0a0d0c0d09080c0c09080b');
INSERT INTO proposals_fts_data VALUES(1374389534721,X'000001090230610a06010210020267650a0601020c0204727265740a0c010104010206010262750a06010106010264650a0601010503037075690a0601020202066f63746575720a0601010803056976656e740a0601020d01036573740a060102070201740a0601020901056a757371750a0601020f01016c0a0c0101030102050201610a060102110201650a080102030901076d6172636865720a0601020e0107706173746575720a0601010702066572736f6e6e0a0601020b010872657461626c69720a0601010202036f75780a06010109010773746174696f6e0a060102120206756976616e740a060102130305707072696d0a060102080107747261766175780a060102040408090e09090a0d0c0a080c0b08090e0e0d0f0a0e0d0c');
CREATE TABLE IF NOT EXISTS 'proposals_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO proposals_fts_idx VALUES(1,X'',2);
INSERT INTO proposals_fts_idx VALUES(2,X'',2);
INSERT INTO proposals_fts_idx VALUES(3,X'',2);
INSERT INTO proposals_fts_idx VALUES(4,X'',2);
INSERT INTO proposals_fts_idx VALUES(5,X'',2);
INSERT INTO proposals_fts_idx VALUES(6,X'',2);
INSERT INTO proposals_fts_idx VALUES(7,X'',2);
INSERT INTO proposals_fts_idx VALUES(8,X'',2);
INSERT INTO proposals_fts_idx VALUES(9,X'',2);
INSERT INTO proposals_fts_idx VALUES(10,X'',2);
CREATE TABLE IF NOT EXISTS 'proposals_fts_content'(id INTEGER PRIMARY KEY, c0, c1, c2);
INSERT INTO proposals_fts_content VALUES(1,'i7k3ssh52qezh7krciso7dclmu','Planter des arbres rue de Vaugirard','La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.');
INSERT INTO proposals_fts_content VALUES(2,'ccvbcyqcsunsbtxf3vnenzeqmi','Des arceaux vélos place Charles-Michels','Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.');
INSERT INTO proposals_fts_content VALUES(3,'tcgbcg6bkryyoiizk5zhjng7fu','Une boîte à livres dans chaque square','Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.');
INSERT INTO proposals_fts_content VALUES(4,'dpfw6t7qoxbhpvzez3ae2bvaka','Cour oasis pour l’école de la rue Blomet','Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.');
INSERT INTO proposals_fts_content VALUES(5,'ytvm6dwcragpmxty4jinixnlyy','Des toilettes publiques gratuites près du marché Grenelle','Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.');
INSERT INTO proposals_fts_content VALUES(6,'d5zxcl4bfn6v7hmb4nt5pbaxay','Un frigo solidaire à la maison des associations','Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.');
INSERT INTO proposals_fts_content VALUES(7,'ngko6aqmmhsuy46azgyzam5au4','Ralentir la circulation devant le collège Guillaume-Apollinaire','Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.');
INSERT INTO proposals_fts_content VALUES(8,'nn3amv6475nf2guyinyeu7tlr4','Végétaliser les murs pignons rue Lecourbe','Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.');
INSERT INTO proposals_fts_content VALUES(9,'vasubdktisl64hgtlsamqklope','Quand le dépôt sauvage rue Mademoiselle sera-t-il traité ?','Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?');
INSERT INTO proposals_fts_content VALUES(10,'65x4bfs76txb7mjzbfrdfmsvay','Rétablir l’arrêt de bus Pasteur – Docteur-Roux','Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.');
CREATE TABLE IF NOT EXISTS 'proposals_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO proposals_fts_docsize VALUES(1,X'000627');
INSERT INTO proposals_fts_docsize VALUES(2,X'000612');
INSERT INTO proposals_fts_docsize VALUES(3,X'000712');
INSERT INTO proposals_fts_docsize VALUES(4,X'000912');
INSERT INTO proposals_fts_docsize VALUES(5,X'000817');
INSERT INTO proposals_fts_docsize VALUES(6,X'000813');
INSERT INTO proposals_fts_docsize VALUES(7,X'000814');
INSERT INTO proposals_fts_docsize VALUES(8,X'00060d');
INSERT INTO proposals_fts_docsize VALUES(9,X'000a12');
INSERT INTO proposals_fts_docsize VALUES(10,X'000812');
CREATE TABLE IF NOT EXISTS 'proposals_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO proposals_fts_config VALUES('version',4);
CREATE TABLE comment_threads (
				target_kind VARCHAR NOT NULL, target_id VARCHAR NOT NULL, version BIGINT NOT NULL,
				PRIMARY KEY (target_kind, target_id));
INSERT INTO comment_threads VALUES('proposal','i7k3ssh52qezh7krciso7dclmu',2);
INSERT INTO comment_threads VALUES('proposal','tcgbcg6bkryyoiizk5zhjng7fu',1);
INSERT INTO comment_threads VALUES('proposal','vasubdktisl64hgtlsamqklope',1);
INSERT INTO comment_threads VALUES('debate','4jmd5wpztnbhqgy7hn6wsom47y',3);
CREATE TABLE IF NOT EXISTS "ap_published" ("object_type" VARCHAR NOT NULL, "object_id" VARCHAR NOT NULL, "group_actor" VARCHAR NOT NULL, "author_actor" VARCHAR NOT NULL, PRIMARY KEY ("object_type", "object_id"));
CREATE TABLE IF NOT EXISTS "ap_keys" ("owner" VARCHAR NOT NULL, "private_pem" VARCHAR NOT NULL, "public_pem" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, PRIMARY KEY ("owner"));
CREATE TABLE IF NOT EXISTS "ap_remote_actors" ("id" VARCHAR NOT NULL, "type" VARCHAR NOT NULL, "host" VARCHAR NOT NULL, "inbox" VARCHAR NOT NULL, "shared_inbox" VARCHAR NOT NULL, "key_id" VARCHAR NOT NULL, "public_key_pem" VARCHAR NOT NULL, "preferred_username" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "url" VARCHAR NOT NULL, "summary" VARCHAR NOT NULL, "fetched_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "ap_followers" ("actor" VARCHAR NOT NULL, "follower" VARCHAR NOT NULL, "inbox" VARCHAR NOT NULL, "follow_id" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, PRIMARY KEY ("actor", "follower"));
CREATE TABLE IF NOT EXISTS "ap_following" ("remote" VARCHAR NOT NULL, "follow_id" VARCHAR NOT NULL, "state" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "accepted_at" TIMESTAMP, "created_by" VARCHAR, PRIMARY KEY ("remote"), UNIQUE ("follow_id"));
CREATE TABLE IF NOT EXISTS "ap_received" ("activity_id" VARCHAR NOT NULL, "actor" VARCHAR NOT NULL, "type" VARCHAR NOT NULL, "body" VARCHAR NOT NULL, "received_at" TIMESTAMP NOT NULL, "processed_at" TIMESTAMP, "outcome" VARCHAR NOT NULL, PRIMARY KEY ("activity_id"));
CREATE TABLE IF NOT EXISTS "ap_reactions" ("activity_id" VARCHAR NOT NULL, "actor" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "object_type" VARCHAR NOT NULL, "object_id" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, PRIMARY KEY ("activity_id"));
CREATE TABLE IF NOT EXISTS "ap_peers" ("host" VARCHAR NOT NULL, "last_success_at" TIMESTAMP, "last_failure_at" TIMESTAMP, "first_failure_at" TIMESTAMP, "failures" INTEGER NOT NULL, "unreachable_since" TIMESTAMP, "last_error" VARCHAR NOT NULL, PRIMARY KEY ("host"));
CREATE TABLE IF NOT EXISTS "ap_domain_blocks" ("host" VARCHAR NOT NULL, "severity" VARCHAR NOT NULL, "reason" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, "created_by" VARCHAR, PRIMARY KEY ("host"));
CREATE TABLE IF NOT EXISTS "ap_remote_objects" ("id" VARCHAR NOT NULL, "type" VARCHAR NOT NULL, "group_actor" VARCHAR NOT NULL, "attributed_to" VARCHAR NOT NULL, "author_name" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "content_html" VARCHAR NOT NULL, "url" VARCHAR NOT NULL, "in_reply_to" VARCHAR NOT NULL, "context" VARCHAR NOT NULL, "state" VARCHAR NOT NULL, "supports" INTEGER NOT NULL, "published" TIMESTAMP NOT NULL, "updated" TIMESTAMP NOT NULL, "deleted_at" TIMESTAMP, "received_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE river_leader (
    elected_at timestamp NOT NULL,
    expires_at timestamp NOT NULL,
    leader_id text NOT NULL,
    name text PRIMARY KEY NOT NULL DEFAULT 'default' CHECK (name = 'default'),
    CONSTRAINT name_length CHECK (length(name) > 0 AND length(name) < 128),
    CONSTRAINT leader_id_length CHECK (length(leader_id) > 0 AND length(leader_id) < 128)
);
CREATE TABLE river_migration (
    line text NOT NULL,
    version integer NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT line_length CHECK (length(line) > 0 AND length(line) < 128),
    CONSTRAINT version_gte_1 CHECK (version >= 1),
    PRIMARY KEY (line, version)
);
INSERT INTO river_migration VALUES('main',1,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',2,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',3,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',4,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',5,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',6,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',7,'2026-12-07 11:17:52');
INSERT INTO river_migration VALUES('main',8,'2026-12-07 11:17:52');
CREATE TABLE river_notification (
    id integer PRIMARY KEY AUTOINCREMENT,
    created_at timestamp NOT NULL DEFAULT (datetime('now', 'subsec')),
    payload text NOT NULL,
    topic text NOT NULL,
    CONSTRAINT topic_length CHECK (length(topic) > 0 AND length(topic) < 128)
);
CREATE TABLE river_queue (
    name text PRIMARY KEY NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    metadata blob NOT NULL DEFAULT (jsonb('{}')),
    paused_at timestamp,
    updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE river_job (
    id integer PRIMARY KEY AUTOINCREMENT,
    args blob NOT NULL DEFAULT (jsonb('{}')),
    attempt integer NOT NULL DEFAULT 0,
    attempted_at timestamp,
    attempted_by blob, -- json
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    errors blob, -- json
    finalized_at timestamp,
    kind text NOT NULL,
    max_attempts integer NOT NULL DEFAULT 25,
    metadata blob NOT NULL DEFAULT (jsonb('{}')),
    priority integer NOT NULL DEFAULT 1,
    queue text NOT NULL DEFAULT 'default',
    state text NOT NULL DEFAULT 'available',
    scheduled_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    tags blob NOT NULL DEFAULT (jsonb('[]')),
    unique_key blob,
    unique_states integer,
    CONSTRAINT finalized_or_finalized_at_null CHECK (
        (finalized_at IS NULL AND state NOT IN ('cancelled', 'completed', 'discarded')) OR
        (finalized_at IS NOT NULL AND state IN ('cancelled', 'completed', 'discarded'))
    ),
    CONSTRAINT priority_in_range CHECK (priority >= 1 AND priority <= 4),
    CONSTRAINT queue_length CHECK (length(queue) > 0 AND length(queue) < 128),
    CONSTRAINT kind_length CHECK (length(kind) > 0 AND length(kind) < 128),
    CONSTRAINT state_valid CHECK (state IN ('available', 'cancelled', 'completed', 'discarded', 'pending', 'retryable', 'running', 'scheduled'))
);
CREATE TABLE IF NOT EXISTS "apps" ("id" VARCHAR NOT NULL, "slug" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "url" VARCHAR NOT NULL, "publiccode_yml" VARCHAR NOT NULL, "publiccode_version" VARCHAR NOT NULL, "landing_url" VARCHAR NOT NULL, "software_version" VARCHAR NOT NULL, "release_date" VARCHAR NOT NULL, "categories" VARCHAR NOT NULL, "platforms" VARCHAR NOT NULL, "development_status" VARCHAR NOT NULL, "software_type" VARCHAR NOT NULL, "license" VARCHAR NOT NULL, "osi_approved" BOOLEAN NOT NULL, "languages" VARCHAR NOT NULL, "short_descriptions" VARCHAR NOT NULL, "search_text" VARCHAR NOT NULL, "review_state" VARCHAR NOT NULL, "check_osi_licence" BOOLEAN NOT NULL, "check_source_reachable" BOOLEAN NOT NULL, "check_maintenance_declared" BOOLEAN NOT NULL, "check_accessibility" BOOLEAN NOT NULL, "check_french_documentation" BOOLEAN NOT NULL, "reviewed_by" VARCHAR, "reviewed_at" TIMESTAMP, "certified_by" VARCHAR, "certified_at" TIMESTAMP, "created_by" VARCHAR, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, "deprecated_at" TIMESTAMP, "deleted_at" TIMESTAMP, "origin_actor" VARCHAR, "origin_node" VARCHAR, "remote_id" VARCHAR, "remote_url" VARCHAR, PRIMARY KEY ("id"), UNIQUE ("slug"), UNIQUE ("remote_id"));
INSERT INTO apps VALUES('q5awpqt46gm5lf4euiayhp42ly','agora','Agora','https://git.example.org/agora/agora.git',replace('# publiccode.yml of Agora itself: the full example the tests read.\npubliccodeYmlVersion: "0.4"\n\nname: Agora\napplicationSuite: Agora\nurl: "https://git.example.org/agora/agora.git"\nlandingURL: "https://agora.example.org"\nisBasedOn: "https://git.example.org/agora/upstream.git"\norganizationUri: "https://www.paris.fr"\nsoftwareVersion: 1.2.0\nreleaseDate: 2026-11-02\nlogo: docs/logo.png\nroadmap: "https://agora.example.org/feuille-de-route"\n\nplatforms:\n  - web\n  - android\n\ncategories:\n  - digital-citizenship\n  - survey\n  - online-community\n\nusedBy:\n  - Mairie du 11e arrondissement\n\ndevelopmentStatus: stable\nsoftwareType: standalone/web\n\nintendedAudience:\n  countries:\n    - fr\n  scope:\n    - government\n\ndescription:\n  fr:\n    localisedName: Agora\n    genericName: Participation citoyenne\n    shortDescription: >-\n      Plateforme de participation citoyenne pour les communes : propositions,\n      débats, votes et budget participatif.\n    longDescription: >\n      Agora est une plateforme municipale de participation citoyenne que chaque\n      commune ou arrondissement héberge lui-même. Les habitants y déposent des\n      propositions, les soutiennent, débattent et votent ; les services de la\n      ville y répondent publiquement. Les instances fédèrent entre elles par\n      ActivityPub, si bien qu''un débat se suit aussi depuis Mastodon. Chaque\n      démarche garde une voie non numérique, au guichet de la mairie.\n    documentation: "https://agora.example.org/documentation"\n    apiDocumentation: "https://agora.example.org/documentation/api"\n    features:\n      - Propositions et soutiens des habitants vérifiés\n      - Débats et commentaires modérés publiquement\n      - Budget participatif et votes\n      - Saisie au guichet pour les habitants sans équipement\n      - Catalogue fédéré de logiciels libres municipaux\n    screenshots:\n      - docs/captures/accueil.png\n    videos:\n      - "https://video.example.org/w/agora"\n    awards:\n      - Prix de l''innovation démocratique 2026\n  en:\n    shortDescription: Civic participation platform for municipalities.\n    longDescription: |\n      Agora is a self-hostable civic participation platform for cities and\n      districts. Residents propose, support, debate and vote; city services\n      answer in public. Nodes federate over ActivityPub, so a debate can be\n      followed from Mastodon and cities share their free software.\n    features:\n      - Proposals and supports from verified residents\n      - Public debates\n\nlegal:\n  license: AGPL-3.0-or-later\n  mainCopyrightOwner: Ville de Paris\n  repoOwner: Ville de Paris\n\nmaintenance:\n  type: internal\n  contacts:\n    - name: Camille Martin\n      email: "camille.martin@example.org"\n      phone: "+33 1 23 45 67 89"\n      affiliation: Ville de Paris\n\nlocalisation:\n  localisationReady: true\n  availableLanguages:\n    - fr\n    - en\n    - fr-BE\n\ndependsOn:\n  open:\n    - name: PostgreSQL\n      versionMin: "14"\n      optional: true\n\nit:\n  countryExtensionVersion: "1.0"\n  riuso:\n    codiceIPA: c_h501\n','\n',char(10)),'0.4','https://agora.example.org','1.2.0','2026-11-02','["digital-citizenship","survey","online-community"]','["web","android"]','stable','standalone/web','AGPL-3.0-or-later',1,'["fr","en","fr-BE"]','{"en":"Civic participation platform for municipalities.","fr":"Plateforme de participation citoyenne pour les communes : propositions, débats, votes et budget participatif."}',replace('agora\n\ncivic participation platform for municipalities.\nagora is a self-hostable civic participation platform for cities and\ndistricts. residents propose, support, debate and vote; city services\nanswer in public. nodes federate over activitypub, so a debate can be\nfollowed from mastodon and cities share their free software.\nproposals and supports from verified residents\npublic debates\nagora\nplateforme de participation citoyenne pour les communes : propositions, debats, votes et budget participatif.\nagora est une plateforme municipale de participation citoyenne que chaque commune ou arrondissement heberge lui-meme. les habitants y deposent des propositions, les soutiennent, debattent et votent ; les services de la ville y repondent publiquement. les instances federent entre elles par activitypub, si bien qu''un debat se suit aussi depuis mastodon. chaque demarche garde une voie non numerique, au guichet de la mairie.\npropositions et soutiens des habitants verifies\ndebats et commentaires moderes publiquement\nbudget participatif et votes\nsaisie au guichet pour les habitants sans equipement\ncatalogue federe de logiciels libres municipaux','\n',char(10)),'submitted',0,0,0,0,0,NULL,NULL,NULL,NULL,NULL,'2026-12-07 11:17:53.104721+00:00','2026-12-07 11:17:53.104721+00:00',NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "app_tags" ("app_id" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "value" VARCHAR NOT NULL, PRIMARY KEY ("app_id", "kind", "value"), FOREIGN KEY ("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE);
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','category','digital-citizenship');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','category','survey');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','category','online-community');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','platform','web');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','platform','android');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','license','agpl-3.0-or-later');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','language','fr');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','language','en');
INSERT INTO app_tags VALUES('q5awpqt46gm5lf4euiayhp42ly','language','fr-be');
CREATE TABLE IF NOT EXISTS "app_releases" ("id" VARCHAR NOT NULL, "app_id" VARCHAR NOT NULL, "version" VARCHAR NOT NULL, "released_on" TIMESTAMP NOT NULL, "changelog" VARCHAR NOT NULL, "created_by" VARCHAR, "created_at" TIMESTAMP NOT NULL, "remote_id" VARCHAR, PRIMARY KEY ("id"), UNIQUE ("remote_id"), FOREIGN KEY ("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "app_artifacts" ("id" VARCHAR NOT NULL, "release_id" VARCHAR NOT NULL, "position" INTEGER NOT NULL, "name" VARCHAR NOT NULL, "blob_key" VARCHAR NOT NULL, "sha256" VARCHAR NOT NULL, "size" INTEGER NOT NULL, "media_type" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"), FOREIGN KEY ("release_id") REFERENCES "app_releases" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "app_media" ("id" VARCHAR NOT NULL, "app_id" VARCHAR NOT NULL, "kind" VARCHAR NOT NULL, "position" INTEGER NOT NULL, "blob_key" VARCHAR NOT NULL, "sha256" VARCHAR NOT NULL, "size" INTEGER NOT NULL, "media_type" VARCHAR NOT NULL, "created_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"), FOREIGN KEY ("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "app_adoptions" ("id" VARCHAR NOT NULL, "app_id" VARCHAR NOT NULL, "adopter_key" VARCHAR NOT NULL, "name" VARCHAR NOT NULL, "actor" VARCHAR, "version" VARCHAR NOT NULL, "contact" VARCHAR NOT NULL, "since" TIMESTAMP NOT NULL, "remote_id" VARCHAR, "created_by" VARCHAR, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, PRIMARY KEY ("id"), UNIQUE ("remote_id"), FOREIGN KEY ("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS "ap_sent_adoptions" ("adoption_id" VARCHAR NOT NULL, "app_id" VARCHAR NOT NULL, "target" VARCHAR NOT NULL, "inbox" VARCHAR NOT NULL, "sent_at" TIMESTAMP NOT NULL, PRIMARY KEY ("adoption_id"));
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('agora_migrations',8);
INSERT INTO sqlite_sequence VALUES('river_job',0);
INSERT INTO sqlite_sequence VALUES('audit_log',27);
INSERT INTO sqlite_sequence VALUES('proposal_events',15);
INSERT INTO sqlite_sequence VALUES('outbox_events',43);
CREATE INDEX passkeys_account_idx ON passkeys (account_id);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX challenges_expires_idx ON webauthn_challenges (expires_at);
CREATE INDEX one_time_codes_account_idx ON one_time_codes (account_id);
CREATE INDEX letter_codes_batch_idx ON letter_codes (batch);
CREATE INDEX census_entries_import_idx ON census_entries (import);
CREATE INDEX audit_subject_idx ON audit_log (subject_id, id);
CREATE INDEX audit_actor_idx ON audit_log (actor_id, id);
CREATE INDEX audit_action_idx ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE INDEX proposals_space_created_idx ON proposals (space_id, created_at, id);
CREATE INDEX proposals_space_supports_idx ON proposals (space_id, support_count, id);
CREATE INDEX proposals_space_rand_idx ON proposals (space_id, rand_key, id);
CREATE INDEX proposals_space_state_idx ON proposals (space_id, state);
CREATE INDEX proposals_author_idx ON proposals (author_id);
CREATE INDEX supports_account_idx ON proposal_supports (account_id);
CREATE INDEX proposal_events_proposal_idx ON proposal_events (proposal_id, id);
CREATE INDEX debates_space_idx ON debates (space_id, created_at);
CREATE INDEX comments_target_idx ON comments (target_kind, target_id, created_at, id);
CREATE INDEX comments_parent_idx ON comments (parent_id);
CREATE INDEX comments_author_idx ON comments (author_id);
CREATE INDEX reports_open_idx ON reports (resolved_at, created_at);
CREATE INDEX moderation_log_idx ON moderation_log (id);
CREATE INDEX moderation_log_space_idx ON moderation_log (space_id, id);
CREATE INDEX outbox_events_id_idx ON outbox_events (id);
CREATE UNIQUE INDEX reports_open_local_idx ON reports (target_kind, target_id, reporter_id) WHERE resolved_at IS NULL AND reporter_id IS NOT NULL;
CREATE UNIQUE INDEX reports_open_remote_idx ON reports (target_kind, target_id, remote_actor) WHERE resolved_at IS NULL AND remote_actor IS NOT NULL;
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log BEGIN SELECT RAISE(ABORT, 'moderation_log is append-only'); END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log BEGIN SELECT RAISE(ABORT, 'moderation_log is append-only'); END;
CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
				INSERT INTO proposals_fts(id, title, body) VALUES (new.id, new.title, new.body); END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
				DELETE FROM proposals_fts WHERE id = old.id; END;
CREATE TRIGGER proposals_fts_update AFTER UPDATE OF title, body ON proposals BEGIN
				UPDATE proposals_fts SET title = new.title, body = new.body WHERE id = new.id; END;
CREATE TRIGGER comment_threads_insert AFTER INSERT ON comments BEGIN INSERT INTO comment_threads (target_kind, target_id, version) VALUES (new.target_kind, new.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1; END;
CREATE TRIGGER comment_threads_update AFTER UPDATE ON comments BEGIN INSERT INTO comment_threads (target_kind, target_id, version) VALUES (new.target_kind, new.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1; END;
CREATE TRIGGER comment_threads_delete AFTER DELETE ON comments BEGIN INSERT INTO comment_threads (target_kind, target_id, version) VALUES (old.target_kind, old.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1; END;
CREATE INDEX ap_remote_actors_key_idx ON ap_remote_actors (key_id);
CREATE INDEX ap_followers_follower_idx ON ap_followers (follower);
CREATE INDEX ap_reactions_object_idx ON ap_reactions (object_type, object_id);
CREATE INDEX ap_remote_objects_group_idx ON ap_remote_objects (group_actor, type, published);
CREATE INDEX ap_remote_objects_context_idx ON ap_remote_objects (context);
CREATE INDEX river_notification_created_at_idx ON river_notification (created_at);
CREATE INDEX river_notification_topic_id_idx ON river_notification (topic, id);
CREATE INDEX river_job_kind ON river_job (kind);
CREATE INDEX river_job_state_and_finalized_at_index ON river_job (state, finalized_at) WHERE finalized_at IS NOT NULL;
CREATE INDEX river_job_prioritized_fetching_index ON river_job (state, queue, priority, scheduled_at, id);
CREATE UNIQUE INDEX river_job_unique_idx ON river_job (unique_key)
    WHERE unique_key IS NOT NULL
        AND unique_states IS NOT NULL
        AND CASE state
            WHEN 'available' THEN unique_states & (1 << 0)
            WHEN 'cancelled' THEN unique_states & (1 << 1)
            WHEN 'completed' THEN unique_states & (1 << 2)
            WHEN 'discarded' THEN unique_states & (1 << 3)
            WHEN 'pending'   THEN unique_states & (1 << 4)
            WHEN 'retryable' THEN unique_states & (1 << 5)
            WHEN 'running'   THEN unique_states & (1 << 6)
            WHEN 'scheduled' THEN unique_states & (1 << 7)
            ELSE 0
        END >= 1;
CREATE INDEX apps_name_idx ON apps (lower(name), id);
CREATE INDEX apps_status_idx ON apps (development_status);
CREATE INDEX apps_type_idx ON apps (software_type);
CREATE INDEX apps_license_idx ON apps (license);
CREATE INDEX apps_review_idx ON apps (review_state);
CREATE INDEX apps_url_idx ON apps (url);
CREATE INDEX app_tags_filter_idx ON app_tags (kind, value, app_id);
CREATE INDEX app_releases_app_idx ON app_releases (app_id, released_on);
CREATE INDEX app_artifacts_release_idx ON app_artifacts (release_id, position);
CREATE INDEX app_artifacts_blob_idx ON app_artifacts (blob_key);
CREATE INDEX app_media_blob_idx ON app_media (blob_key);
CREATE UNIQUE INDEX app_releases_version_idx ON app_releases (app_id, version);
CREATE UNIQUE INDEX app_artifacts_name_idx ON app_artifacts (release_id, name);
CREATE UNIQUE INDEX app_media_place_idx ON app_media (app_id, kind, position);
CREATE UNIQUE INDEX app_adoptions_adopter_idx ON app_adoptions (app_id, adopter_key);
CREATE UNIQUE INDEX apps_local_url_idx ON apps (url) WHERE remote_id IS NULL AND deleted_at IS NULL;
PRAGMA writable_schema=OFF;
COMMIT;
