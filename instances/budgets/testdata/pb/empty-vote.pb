META
key;value
description;A blank vote and a single project
country;France
unit;Lyon
instance;2025
num_projects;1
num_votes;2
budget;10000
vote_type;choose-1
PROJECTS
project_id;cost
42;9000
VOTES
voter_id;vote
1;42
2;
