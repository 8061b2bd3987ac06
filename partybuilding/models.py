# Models come with the party-building issue.
