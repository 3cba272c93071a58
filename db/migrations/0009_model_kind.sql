-- Embeddings models (the semantic cache's) sit in the catalogue for their dated prices, marked so that learners and the
-- judge are never offered them. Existing rows are chat models.
ALTER TABLE `models` ADD `kind` text DEFAULT 'chat' NOT NULL;
