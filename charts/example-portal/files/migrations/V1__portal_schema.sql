-- Version 1 of the portal schema: pages and the users who edit them.
CREATE TABLE portal_user (
  id         bigserial PRIMARY KEY,
  login      text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE page (
  id         bigserial PRIMARY KEY,
  path       text NOT NULL UNIQUE,
  title      text NOT NULL,
  author_id  bigint REFERENCES portal_user (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
