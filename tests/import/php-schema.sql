-- The tables of the original PHP 10p5 (10p5-server, migrations/1462024985.sql),
-- column for column, with its foreign keys: what a bar moving to 10p5 has in
-- MySQL or MariaDB. The import tests load it into a private MariaDB server.
CREATE TABLE Clients (
  idCarte char(8) NOT NULL,
  solde float(7,2) DEFAULT NULL,
  decouvert tinyint(1) DEFAULT '0',
  PRIMARY KEY (idCarte)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE Prix (
  produit char(30) DEFAULT NULL,
  prix float(7,2) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE Sessions (
  jeton char(30) NOT NULL,
  utilisateur char(30) DEFAULT NULL,
  date timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (jeton),
  KEY utilisateur (utilisateur)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE Transactions (
  id bigint(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  type char(15) DEFAULT NULL,
  client char(8) DEFAULT NULL,
  date timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  montant float(7,2) DEFAULT NULL,
  quantite int(2) DEFAULT NULL,
  utilisateur char(30) DEFAULT NULL,
  valide tinyint(1) DEFAULT '1',
  PRIMARY KEY (id),
  KEY client (client),
  KEY utilisateur (utilisateur)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE Utilisateurs (
  login char(30) NOT NULL,
  mdp char(255) DEFAULT NULL,
  idCarte char(8) DEFAULT NULL,
  droit int(11) DEFAULT '0',
  PRIMARY KEY (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

ALTER TABLE Sessions
  ADD CONSTRAINT Sessions_utilisateur FOREIGN KEY (utilisateur) REFERENCES Utilisateurs (login);

ALTER TABLE Transactions
  ADD CONSTRAINT Transactions_client FOREIGN KEY (client) REFERENCES Clients (idCarte),
  ADD CONSTRAINT Transactions_utilisateur FOREIGN KEY (utilisateur) REFERENCES Utilisateurs (login);
