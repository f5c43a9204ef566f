<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'blog' );
define( 'DB_USER', 'blog' );
define( 'DB_PASSWORD', 'xT9#kq2Lm' );
define( 'DB_HOST', 'localhost' );

define( 'AUTH_KEY',         'G|q8`3T)w+Uj$Kx7^mB2@zR!e4%Lp9*Nv' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );

$table_prefix = 'wp_';
