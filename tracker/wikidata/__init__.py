"""Importing productions, people and award outcomes from Wikidata: parsing
its entity JSON and SPARQL results (plain Python), and fetching entities
through the feeds' guarded fetcher when asked."""
