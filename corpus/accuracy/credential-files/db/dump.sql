-- MySQL dump 10.13
CREATE DATABASE shop;
CREATE USER 'shop'@'%' IDENTIFIED BY 'Fq7#wz2Lk';
GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'%';
CREATE USER 'report'@'%' IDENTIFIED BY '${REPORT_PASSWORD}';

-- Seed accounts (dumped with --complete-insert)
INSERT INTO users (id, name, password) VALUES (1, 'bob', 'hunter2-xyz');
INSERT INTO `customers` (`id`, `email`, `passwd`, `created_at`) VALUES
(1,'ann@shop.example','Lq2!vm8Zr','2024-01-02 10:00:00'),
(2,'joe@shop.example',NULL,'2024-01-03 11:30:00'),
(3,'kim@shop.example','Rt6#pw3Nx','2024-01-04 09:15:00');
INSERT INTO staff (id, login, password_hash) VALUES (1, 'ops', 'pbkdf2_sha256$600000$Qm7Tz2Lw9Xv4$Kc8Rn3Pq6Ys1Hd5Jf0Gb2Mt7Vw9Zx4Lk1Nc3Qe8Ra6U=');
-- No column list: nothing says which value is a password.
INSERT INTO users VALUES (4, 'eve', 'Zq9-unmapped');
INSERT INTO users (id, name, password) VALUES (5, 'sam', '');
INSERT INTO users (id, name, password) VALUES (6, 'ray', NULL);
