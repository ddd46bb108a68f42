window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {"initial" : {"editTweetIds" : ["1050118621198921728"]}},
      "retweeted" : false,
      "entities" : {"hashtags" : [], "user_mentions" : [{"name" : "Acme", "screen_name" : "acme", "id_str" : "1"}], "urls" : []},
      "display_text_range" : ["0", "60"],
      "favorite_count" : "12",
      "id_str" : "1050118621198921728",
      "truncated" : false,
      "retweet_count" : "3",
      "id" : "1050118621198921728",
      "created_at" : "Wed Oct 10 20:19:24 +0000 2018",
      "favorited" : false,
      "full_text" : "@acme your call centre kept me on hold for 50 minutes &amp; the line dropped",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "favorite_count" : "0",
      "id_str" : "1050118621198921729",
      "retweet_count" : "0",
      "in_reply_to_status_id_str" : "1050118621198921728",
      "created_at" : "Wed Oct 10 21:00:00 +0000 2018",
      "full_text" : "RT @acme: we are sorry",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "id_str" : "1050118621198921730",
      "favorite_count" : "many",
      "created_at" : "Wed Oct 10 22:00:00 +0000 2018",
      "full_text" : "bad count"
    }
  }
]
