// What GraphiQL opens with: a tour of the API on the bundled corpus.

export const GRAPHIQL_DEFAULT_QUERY = `# The archive of analytical articles on Belarusian foreign and security policy.
# Press the run button, then explore the schema in the Docs panel.

query Tour {
  articles(first: 3) {
    totalCount
    edges {
      node {
        title
        publishedAt
        category { name }
        actors(first: 5) { edges { mentionCount node { name kind } } }
        related(first: 3) { edges { node { kind score target { title isStub } } } }
      }
    }
    facets { years { year count } actors(first: 5) { actor { name } count } }
  }
  search(query: "Kremlin security", first: 3) {
    edges { node { rank headline article { title } } }
  }
  actor(slug: "makey") {
    name aliases mentionCount
    coActors(first: 5) { sharedArticles actor { name } }
  }
}
`;
