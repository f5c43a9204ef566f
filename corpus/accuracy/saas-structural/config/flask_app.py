from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "90f64dc7aaae53bb612e5f448fe52a584b52eef1a76f492a"
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://reports:pCi29mHFcCU8NyPhBYgT@mysql.reports.internal/reports"
